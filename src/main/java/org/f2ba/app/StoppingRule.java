package org.f2ba.app;

/**
 * When to stop the outer loop: after T outer iterations, once the hyper-gradient estimate is
 * small enough, or once the wall-clock budget is spent (0 turns the last two off).
 */
public record StoppingRule(int maxIterations, double hypergradNorm, double wallSeconds) {
  /**
   * Why the run stops after outer iteration {@code iteration}, whose hyper-gradient estimate had
   * norm {@code estimateNorm} (NaN where unknown), or null to go on.
   */
  public String reason(int iteration, double estimateNorm, double elapsedSeconds) {
    if (hypergradNorm > 0 && estimateNorm <= hypergradNorm) {
      return "hyper-gradient estimate norm " + estimateNorm + " <= " + hypergradNorm;
    }
    if (wallSeconds > 0 && elapsedSeconds >= wallSeconds) {
      return "wall-clock budget of " + wallSeconds + " s spent";
    }
    if (iteration >= maxIterations) {
      return "reached T = " + maxIterations + " outer iterations";
    }
    return null;
  }
}
