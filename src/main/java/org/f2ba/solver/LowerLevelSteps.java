package org.f2ba.solver;

import org.f2ba.engine.LossRequest;
import org.f2ba.problem.BilevelProblem;

/**
 * Gradient steps on the lower level alone, y ← y − α ∇y g(x, y), each on a new draw of batches
 * (one pass each) and projected onto Y where the problem confines y to a box: the inner loop of
 * AID, BOME and the grid search.
 */
final class LowerLevelSteps {
  /** The steps taken and the last ‖∇y g‖ seen (NaN: none). */
  record Outcome(int steps, double gradNorm) {
  }

  private LowerLevelSteps() {
  }

  /**
   * Takes up to {@code maxSteps} steps from y, in place, ending before a step once
   * ‖∇y g‖ ≤ {@code tolerance} (0: only where the gradient vanishes).
   */
  static Outcome descend(BilevelOracle oracle, double[] x, double[] y, int maxSteps,
      double alpha, double tolerance) {
    BilevelProblem.Box domain = oracle.problem().yDomain();
    double norm = Double.NaN;
    int steps = 0;
    for (; steps < maxSteps; steps++) {
      double[] gradient = oracle.evaluate(x, new double[][] {y},
          LossRequest.lower(0).withGradY())[0].gradY();
      norm = Vectors.norm(gradient);
      if (norm <= tolerance) {
        break;
      }
      Vectors.descend(y, alpha, gradient);
      if (domain != null) {
        domain.project(y);
      }
    }
    return new Outcome(steps, norm);
  }
}
