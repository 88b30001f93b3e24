package org.f2ba.solver;

/**
 * The solver's state after an outer iteration: the iterates, the hyper-gradient estimate that
 * moved x and the point x_t it was taken at, the inner steps taken, the inner gradient norms at
 * the last inner step, δ_t where the schedule keeps it, and the oracle calls so far.
 */
public record OuterState(int iteration, double[] x, double[] y, double[] z,
    double[] hypergradEstimate, double[] estimatePoint, int innerSteps, double innerGradNormZ,
    double innerGradNormY, double delta, long oracleCalls) {

  public double hypergradNorm() {
    return Vectors.norm(hypergradEstimate);
  }
}
