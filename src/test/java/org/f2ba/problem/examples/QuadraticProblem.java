package org.f2ba.problem.examples;

import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.SecondOrderTerm;
import org.f2ba.problem.SmoothTerm;

/**
 * A quadratic bilevel problem with a closed-form hyper-gradient:
 * g(x, y) = ½ yᵀAy − yᵀBx with A symmetric positive definite, so y*(x) = A⁻¹Bx, and
 * f(x, y) = ½‖y − c‖² + ½ρ‖x‖², so ∇φ(x) = (A⁻¹B)ᵀ(A⁻¹Bx − c) + ρx.
 * Matrices are row-major: A is dy × dy, B is dy × dx.
 */
public final class QuadraticProblem {
  private final int dx;
  private final int dy;
  private final double[] a;
  private final double[] b;
  private final double[] c;
  private final double rho;
  private final double[] aInvB;

  public QuadraticProblem(int dx, int dy, double[] a, double[] b, double[] c, double rho) {
    this.dx = dx;
    this.dy = dy;
    this.a = a.clone();
    this.b = b.clone();
    this.c = c.clone();
    this.rho = rho;
    this.aInvB = solve(a, b, dy, dx);
  }

  public BilevelProblem problem() {
    SmoothTerm upper = (x, y, gx, gy) -> {
      double value = 0;
      for (int i = 0; i < dy; i++) {
        double r = y[i] - c[i];
        value += 0.5 * r * r;
        if (gy != null) {
          gy[i] += r;
        }
      }
      for (int j = 0; j < dx; j++) {
        value += 0.5 * rho * x[j] * x[j];
        if (gx != null) {
          gx[j] += rho * x[j];
        }
      }
      return value;
    };
    SmoothTerm lower = new SecondOrderTerm() {
      @Override
      public double evaluate(double[] x, double[] y, double[] gx, double[] gy) {
        double value = 0;
        for (int i = 0; i < dy; i++) {
          double ay = 0;
          double bx = 0;
          for (int k = 0; k < dy; k++) {
            ay += a[i * dy + k] * y[k];
          }
          for (int j = 0; j < dx; j++) {
            bx += b[i * dx + j] * x[j];
          }
          value += 0.5 * y[i] * ay - y[i] * bx;
          if (gy != null) {
            gy[i] += ay - bx;
          }
          if (gx != null) {
            for (int j = 0; j < dx; j++) {
              gx[j] -= y[i] * b[i * dx + j];
            }
          }
        }
        return value;
      }

      /** ∇²yy g·v = Av, ∇²xy g·v = −Bᵀv. */
      @Override
      public double evaluateAlong(double[] x, double[] y, double[] v, double[] gx,
          double[] gy) {
        double[] grad = new double[dy];
        evaluate(x, y, null, grad);
        for (int i = 0; i < dy; i++) {
          for (int k = 0; k < dy && gy != null; k++) {
            gy[i] += a[i * dy + k] * v[k];
          }
          for (int j = 0; j < dx && gx != null; j++) {
            gx[j] -= b[i * dx + j] * v[i];
          }
        }
        double along = 0;
        for (int i = 0; i < dy; i++) {
          along += grad[i] * v[i];
        }
        return along;
      }
    };
    return new BilevelProblem(dx, dy, null, null, upper, lower);
  }

  /** y*(x) = A⁻¹Bx. */
  public double[] lowerSolution(double[] x) {
    double[] y = new double[dy];
    for (int i = 0; i < dy; i++) {
      for (int j = 0; j < dx; j++) {
        y[i] += aInvB[i * dx + j] * x[j];
      }
    }
    return y;
  }

  /** ∇φ(x) = (A⁻¹B)ᵀ(y*(x) − c) + ρx. */
  public double[] hypergradient(double[] x) {
    double[] y = lowerSolution(x);
    double[] grad = new double[dx];
    for (int j = 0; j < dx; j++) {
      grad[j] = rho * x[j];
      for (int i = 0; i < dy; i++) {
        grad[j] += aInvB[i * dx + j] * (y[i] - c[i]);
      }
    }
    return grad;
  }

  /** A⁻¹M for the n × n matrix A and the n × m matrix M, by Gaussian elimination. */
  private static double[] solve(double[] a, double[] m, int n, int cols) {
    double[] lhs = a.clone();
    double[] rhs = m.clone();
    for (int p = 0; p < n; p++) {
      int pivot = p;
      for (int r = p + 1; r < n; r++) {
        if (Math.abs(lhs[r * n + p]) > Math.abs(lhs[pivot * n + p])) {
          pivot = r;
        }
      }
      swapRows(lhs, n, p, pivot);
      swapRows(rhs, cols, p, pivot);
      for (int r = 0; r < n; r++) {
        if (r != p) {
          double factor = lhs[r * n + p] / lhs[p * n + p];
          for (int k = 0; k < n; k++) {
            lhs[r * n + k] -= factor * lhs[p * n + k];
          }
          for (int k = 0; k < cols; k++) {
            rhs[r * cols + k] -= factor * rhs[p * cols + k];
          }
        }
      }
    }
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < cols; k++) {
        rhs[r * cols + k] /= lhs[r * n + r];
      }
    }
    return rhs;
  }

  private static void swapRows(double[] m, int width, int r1, int r2) {
    for (int k = 0; k < width; k++) {
      double t = m[r1 * width + k];
      m[r1 * width + k] = m[r2 * width + k];
      m[r2 * width + k] = t;
    }
  }
}
