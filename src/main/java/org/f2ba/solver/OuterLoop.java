package org.f2ba.solver;

import java.util.Map;
import java.util.TreeMap;

/**
 * What every solver keeps, x, y and the outer iteration count on an oracle, and how it ends an
 * outer iteration: a step on x, then a report of its state.
 */
abstract class OuterLoop implements BilevelSolver {
  protected final BilevelOracle oracle;
  protected final double[] x;
  protected final double[] y;
  protected int iteration;

  /** Continues from {@code state}: its x, y and iteration. */
  protected OuterLoop(BilevelOracle oracle, SolverState state) {
    this.oracle = oracle;
    this.iteration = state.iteration();
    this.x = state.x().clone();
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
    iteration++;
    Map<String, double[]> copies = new TreeMap<>();
    vectors.forEach((name, v) -> copies.put(name, v.clone()));
    return new OuterState(new SolverState(iteration, x.clone(), y.clone(), copies, scalars),
        estimate, estimatePoint, innerSteps, metrics, oracle.oracleCalls(),
        oracle.secondOrderCalls());
  }
}
