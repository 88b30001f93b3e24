package org.f2ba.solver;

import org.f2ba.engine.LossRequest;
import org.f2ba.problem.BilevelProblem;

/**
 * Gradient steps on the lower level alone, y ← y − α ∇y g(x, y), each on a new draw of batches
 * (one pass each) and projected onto Y where the problem confines y to a box: the inner loop of
 * AID, BOME and the grid search.
 */
final class LowerLevelSteps {
  private LowerLevelSteps() {
  }

  /** Takes {@code steps} steps from y, in place; returns the last ‖∇y g‖ seen (NaN: none). */
  static double descend(BilevelOracle oracle, double[] x, double[] y, int steps, double alpha) {
    BilevelProblem.Box domain = oracle.problem().yDomain();
    double norm = Double.NaN;
    for (int k = 0; k < steps; k++) {
      double[] gradient = oracle.evaluate(x, new double[][] {y},
          LossRequest.lower(0).withGradY())[0].gradY();
      norm = Vectors.norm(gradient);
      Vectors.descend(y, alpha, gradient);
      if (domain != null) {
        domain.project(y);
      }
    }
    return norm;
  }
}
