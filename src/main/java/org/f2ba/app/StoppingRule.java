package org.f2ba.app;

import org.f2ba.solver.OuterState;

/**
 * When to stop the outer loop: after T outer iterations, once the hyper-gradient estimate is
 * small enough, or once the wall-clock budget is spent (0 turns the last two off).
 */
public record StoppingRule(int maxIterations, double hypergradNorm, double wallSeconds) {
  /** Why the run stops after {@code state}, or null to go on. */
  public String reason(OuterState state, double elapsedSeconds) {
    if (hypergradNorm > 0 && state.hypergradNorm() <= hypergradNorm) {
      return "hyper-gradient estimate norm " + state.hypergradNorm() + " <= " + hypergradNorm;
    }
    if (wallSeconds > 0 && elapsedSeconds >= wallSeconds) {
      return "wall-clock budget of " + wallSeconds + " s spent";
    }
    if (state.iteration() >= maxIterations) {
      return "reached T = " + maxIterations + " outer iterations";
    }
    return null;
  }
}
