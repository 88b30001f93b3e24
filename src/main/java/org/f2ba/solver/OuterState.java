package org.f2ba.solver;

import java.util.Map;

/**
 * A solver's report of one outer iteration: its state after it, the hyper-gradient estimate
 * that moved x (null for a solver without one, and where x is kept with its rows), its norm
 * (NaN where there is none), the point x_t it was taken at (null where x is kept), the inner
 * steps taken, the solver's own metrics (named as its {@link SolverType#columns()}; NaN where it
 * has no value), and the oracle calls so far.
 */
public record OuterState(SolverState state, double[] hypergradEstimate, double hypergradNorm,
    double[] estimatePoint, int innerSteps, Map<String, Double> metrics, long oracleCalls,
    long secondOrderCalls) {

  public int iteration() {
    return state.iteration();
  }

  public double[] x() {
    return state.x();
  }

  public double[] y() {
    return state.y();
  }

  /** The state's vector {@code name} (null where it has none). */
  public double[] vector(String name) {
    return state.vector(name, null);
  }

  /** The metric {@code column}, NaN where there is none. */
  public double metric(String column) {
    return metrics.getOrDefault(column, Double.NaN);
  }

  /** Whether the solver reported an estimate of the hyper-gradient (its norm at least). */
  public boolean hasEstimate() {
    return !Double.isNaN(hypergradNorm);
  }
}
