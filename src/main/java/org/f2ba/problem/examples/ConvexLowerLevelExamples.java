package org.f2ba.problem.examples;

import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.SmoothTerm;

/**
 * Two small instances of the paper that show what goes wrong without strong convexity, both
 * with y confined to [0, 1] in every coordinate.
 */
public final class ConvexLowerLevelExamples {
  private static final BilevelProblem.Box UNIT = new BilevelProblem.Box(0, 1);

  private ConvexLowerLevelExamples() {
  }

  /**
   * Example 3.1 (Lucchetti et al.): f = x² + y², g = x·y on y ∈ [0, 1]. Y*(x) = {0} for x > 0,
   * {1} for x < 0, so φ(x) = x² for x > 0 and x² + 1 for x < 0: discontinuous at 0, with no
   * stationary point. Where it exists, ∇φ(x) = 2x.
   */
  public static BilevelProblem discontinuous() {
    SmoothTerm upper = (x, y, gx, gy) -> {
      if (gx != null) {
        gx[0] += 2 * x[0];
      }
      if (gy != null) {
        gy[0] += 2 * y[0];
      }
      return x[0] * x[0] + y[0] * y[0];
    };
    SmoothTerm lower = (x, y, gx, gy) -> {
      if (gx != null) {
        gx[0] += y[0];
      }
      if (gy != null) {
        gy[0] += x[0];
      }
      return x[0] * y[0];
    };
    return new BilevelProblem(1, 1, null, null, upper, lower, UNIT);
  }

  /** ∇φ of Example 3.1 where it exists (x ≠ 0): 2x. */
  public static double[] discontinuousHypergradient(double[] x) {
    return new double[] {2 * x[0]};
  }

  /**
   * Example 4.1: f = x·y₁, g = ½y₂² on y ∈ [0, 1]². g is 1-PL in y, but the penalty σf + g is
   * not PL in y₁ (it is linear there), and φ_σ(x) = φ(x) = min{x, 0} is not differentiable at 0.
   * Where it exists, ∇φ(x) = 1 for x < 0 and 0 for x > 0.
   */
  public static BilevelProblem nonPlPenalty() {
    SmoothTerm upper = (x, y, gx, gy) -> {
      if (gx != null) {
        gx[0] += y[0];
      }
      if (gy != null) {
        gy[0] += x[0];
      }
      return x[0] * y[0];
    };
    SmoothTerm lower = (x, y, gx, gy) -> {
      if (gy != null) {
        gy[1] += y[1];
      }
      return 0.5 * y[1] * y[1];
    };
    return new BilevelProblem(1, 2, null, null, upper, lower, UNIT);
  }

  /** ∇φ of Example 4.1 where it exists (x ≠ 0). */
  public static double[] nonPlPenaltyHypergradient(double[] x) {
    return new double[] {x[0] < 0 ? 1 : 0};
  }
}
