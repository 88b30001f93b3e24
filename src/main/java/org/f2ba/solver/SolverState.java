package org.f2ba.solver;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a solver needs to continue after outer iteration {@code iteration}: x, y and its own
 * named vectors (z, v, momentum, ...) and scalars (δ_t, λ, ...). Iteration 0 with no vectors
 * and scalars is a start from (x_0, y_0); a checkpoint stores exactly this.
 */
public record SolverState(int iteration, double[] x, double[] y, Map<String, double[]> vectors,
    Map<String, Double> scalars) {

  public SolverState {
    vectors = new TreeMap<>(vectors);
    scalars = new TreeMap<>(scalars);
  }

  /** The start from (x_0, y_0). */
  public static SolverState initial(double[] x0, double[] y0) {
    return new SolverState(0, x0, y0, Map.of(), Map.of());
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
