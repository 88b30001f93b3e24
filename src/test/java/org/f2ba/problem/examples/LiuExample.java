package org.f2ba.problem.examples;

import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.SmoothTerm;

/**
 * Example 5.3 of the companion paper (Liu et al., 2020): min (x − y₂)² + (y₁ − 1)² over
 * y ∈ argmin y₁² − 2x·y₁. The lower level is PL but not strongly convex (y₂ is free), and
 * φ(x) = (x − 1)², so the solution is x = 1.
 */
public final class LiuExample {
  private LiuExample() {
  }

  public static BilevelProblem problem() {
    SmoothTerm upper = (x, y, gx, gy) -> {
      double d = x[0] - y[1];
      double e = y[0] - 1;
      if (gx != null) {
        gx[0] += 2 * d;
      }
      if (gy != null) {
        gy[0] += 2 * e;
        gy[1] -= 2 * d;
      }
      return d * d + e * e;
    };
    SmoothTerm lower = (x, y, gx, gy) -> {
      if (gx != null) {
        gx[0] -= 2 * y[0];
      }
      if (gy != null) {
        gy[0] += 2 * y[0] - 2 * x[0];
      }
      return y[0] * y[0] - 2 * x[0] * y[0];
    };
    return new BilevelProblem(1, 2, null, null, upper, lower);
  }
}
