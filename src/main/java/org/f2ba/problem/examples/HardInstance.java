package org.f2ba.problem.examples;

import java.io.Serializable;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.SmoothTerm;

/**
 * The hard instance of Theorem 3.2 (Appendix F) for T outer and K inner iterations:
 * q = 2TK, β = 1/√q, f(x, y) = 2(x + 1)² Σ_{j>q/2} ψ(y_j) with ψ of Eq. 14, and the zero-chain
 * g(y) = β² h_q(y/β) = ⅛(y₁ − β)² + ⅛ Σ_{j<q} (y_{j+1} − y_j)². Its hyper-objective is
 * φ(x) = (x + 1)²/2, so ∇φ(0) = 1; yet from x₀ = y₀ = 0 every zero-respecting method, F²BA among
 * them, keeps x_t = 0 for t ≤ T: each inner step reaches at most one more coordinate of y, so the
 * coordinates f depends on stay 0 and ∇x f = 4(x + 1) r(y) = 0.
 */
public final class HardInstance implements Serializable {
  private final int q;
  private final double beta;

  public HardInstance(int outerIterations, int innerSteps) {
    this.q = 2 * outerIterations * innerSteps;
    this.beta = 1 / Math.sqrt(q);
  }

  public int dimY() {
    return q;
  }

  /** ∇φ(x) = x + 1. */
  public double[] hypergradient(double[] x) {
    return new double[] {x[0] + 1};
  }

  public BilevelProblem problem() {
    SmoothTerm upper = (x, y, gx, gy) -> {
      double scale = 2 * (x[0] + 1) * (x[0] + 1);
      double r = 0;
      for (int j = q / 2; j < q; j++) {
        r += psi(y[j]);
        if (gy != null) {
          gy[j] += scale * psiDerivative(y[j]);
        }
      }
      if (gx != null) {
        gx[0] += 4 * (x[0] + 1) * r;
      }
      return scale * r;
    };
    SmoothTerm lower = (x, y, gx, gy) -> {
      double first = y[0] - beta;
      double value = first * first / 8;
      if (gy != null) {
        gy[0] += first / 4;
      }
      for (int j = 0; j + 1 < q; j++) {
        double d = y[j + 1] - y[j];
        value += d * d / 8;
        if (gy != null) {
          gy[j + 1] += d / 4;
          gy[j] -= d / 4;
        }
      }
      return value;
    };
    return new BilevelProblem(1, q, null, null, upper, lower);
  }

  /** ψ of Eq. 14: y²/2 near 0, the Hermite polynomial p between β and 2β, β² beyond. */
  double psi(double y) {
    double a = Math.abs(y);
    if (a <= beta) {
      return y * y / 2;
    }
    if (a <= 2 * beta) {
      return p(a);
    }
    return beta * beta;
  }

  double psiDerivative(double y) {
    double a = Math.abs(y);
    if (a <= beta) {
      return y;
    }
    if (a <= 2 * beta) {
      return Math.signum(y) * pDerivative(a);
    }
    return 0;
  }

  private double p(double y) {
    double b = beta;
    return -Math.pow(y, 5) / (2 * b * b * b) + 9 * Math.pow(y, 4) / (2 * b * b)
        - 31 * y * y * y / (2 * b) + 25 * y * y - 18 * b * y + 5 * b * b;
  }

  private double pDerivative(double y) {
    double b = beta;
    return -5 * Math.pow(y, 4) / (2 * b * b * b) + 18 * y * y * y / (b * b)
        - 93 * y * y / (2 * b) + 50 * y - 18 * b;
  }
}
