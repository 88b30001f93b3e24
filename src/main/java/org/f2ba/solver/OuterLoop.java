package org.f2ba.solver;

import java.util.Map;
import java.util.TreeMap;
import org.f2ba.engine.KeptX;

/**
 * What every solver keeps, x, y and the outer iteration count on an oracle, and how it ends an
 * outer iteration: a step on x, then a report of its state. x is on the driver, except in a
 * solver that steps it with {@link BilevelOracle#evaluateAndStep}, which can take x kept with
 * its rows instead ({@code x} null, {@code keptX} its current version).
 */
abstract class OuterLoop implements BilevelSolver {
  /** Where a solver can take x. */
  protected enum XPlaces {
    DRIVER,
    DRIVER_OR_KEPT_WITH_ROWS
  }

  protected final BilevelOracle oracle;
  protected final double[] x;
  protected KeptX keptX;
  protected final double[] y;
  protected int iteration;

  /** Continues from {@code state}, whose x must be on the driver: its x, y and iteration. */
  protected OuterLoop(BilevelOracle oracle, SolverState state) {
    this(oracle, state, XPlaces.DRIVER);
  }

  /** Continues from {@code state}, whose x must be in one of {@code places}. */
  protected OuterLoop(BilevelOracle oracle, SolverState state, XPlaces places) {
    if (state.x() == null && places == XPlaces.DRIVER) {
      throw new IllegalArgumentException("it steps x on the driver, where x is kept with its"
          + " rows (spark.per-sample-x = with-rows takes solver f2ba)");
    }
    this.oracle = oracle;
    this.iteration = state.iteration();
    this.x = state.x() == null ? null : state.x().clone();
    this.keptX = state.keptX();
    this.y = state.y().clone();
  }

  /** x ← x − step · direction; returns x before the step. */
  protected double[] stepX(double step, double[] direction) {
    double[] before = x.clone();
    Vectors.descend(x, step, direction);
    return before;
  }

  /**
   * Ends the outer iteration: counts it, and reports the state (x, y and the solver's own
   * {@code vectors} and {@code scalars}, copied), the estimate taken at {@code estimatePoint},
   * the inner steps and the solver's metrics.
   */
  protected OuterState report(Map<String, double[]> vectors, Map<String, Double> scalars,
      double[] estimate, double[] estimatePoint, int innerSteps, Map<String, Double> metrics) {
    return report(vectors, scalars, estimate,
        estimate == null ? Double.NaN : Vectors.norm(estimate), estimatePoint, innerSteps,
        metrics);
  }

  /**
   * {@link #report}, where the estimate may be known by its norm only (x kept with its rows:
   * estimate and estimatePoint null).
   */
  protected OuterState report(Map<String, double[]> vectors, Map<String, Double> scalars,
      double[] estimate, double estimateNorm, double[] estimatePoint, int innerSteps,
      Map<String, Double> metrics) {
    iteration++;
    Map<String, double[]> copies = new TreeMap<>();
    vectors.forEach((name, v) -> copies.put(name, v.clone()));
    return new OuterState(new SolverState(iteration, x == null ? null : x.clone(), keptX,
        y.clone(), copies, scalars), estimate, estimateNorm, estimatePoint, innerSteps, metrics,
        oracle.oracleCalls(), oracle.secondOrderCalls());
  }
}
