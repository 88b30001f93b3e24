package org.f2ba.solver;

import java.util.Map;
import java.util.TreeMap;
import org.f2ba.engine.KeptX;

/**
 * What a solver needs to continue after outer iteration {@code iteration}: x (on the driver, or
 * where the engine keeps it with its rows: exactly one of {@code x} and {@code keptX}), y and
 * its own named vectors (z, v, momentum, ...) and scalars (δ_t, λ, ...). Iteration 0 with no
 * vectors and scalars is a start from (x_0, y_0); a checkpoint stores exactly this, x gathered.
 */
public record SolverState(int iteration, double[] x, KeptX keptX, double[] y,
    Map<String, double[]> vectors, Map<String, Double> scalars) {

  public SolverState {
    if ((x == null) == (keptX == null)) {
      throw new IllegalArgumentException("x is either on the driver or kept with its rows");
    }
    vectors = new TreeMap<>(vectors);
    scalars = new TreeMap<>(scalars);
  }

  /** A state with x on the driver. */
  public SolverState(int iteration, double[] x, double[] y, Map<String, double[]> vectors,
      Map<String, Double> scalars) {
    this(iteration, x, null, y, vectors, scalars);
  }

  /** The start from (x_0, y_0). */
  public static SolverState initial(double[] x0, double[] y0) {
    return new SolverState(0, x0, y0, Map.of(), Map.of());
  }

  /** This state with x kept with its rows as {@code kept}. */
  public SolverState withKeptX(KeptX kept) {
    return new SolverState(iteration, null, kept, y, vectors, scalars);
  }

  /** x, gathered on the driver where it is kept with its rows. */
  public double[] gatherX() {
    return x != null ? x : keptX.gather();
  }

  /** The named vector, or {@code otherwise} where this state has none of that name. */
  public double[] vector(String name, double[] otherwise) {
    return vectors.getOrDefault(name, otherwise);
  }

  /** The named scalar, or {@code otherwise} where this state has none of that name. */
  public double scalar(String name, double otherwise) {
    return scalars.getOrDefault(name, otherwise);
  }
}
