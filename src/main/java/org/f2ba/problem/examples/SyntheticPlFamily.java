package org.f2ba.problem.examples;

import java.io.Serializable;
import java.util.Random;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.SmoothTerm;

/**
 * A nonconvex-PL family with known solution sets and hyper-objective, at any dimension. With r
 * orthonormal directions q₁…q_r of R^{d_y} (r < d_y), a matrix P (r × d_x) and a vector b:
 * <ul>
 *   <li>g(x, y) = Σᵢ s(⟨qᵢ, y⟩ − (Px)ᵢ) with s(u) = u² + 3 sin² u, nonconvex but PL (Karimi et
 *       al. 2016) and zero only at u = 0; g is flat along the other d_y − r directions, so
 *       Y*(x) = {y : ⟨qᵢ, y⟩ = (Px)ᵢ} is an affine subspace, not a point: no strong convexity;</li>
 *   <li>f(x, y) = Σᵢ ρ(⟨qᵢ, y⟩ − bᵢ) + λ Σⱼ cos xⱼ with ρ(v) = √(1 + v²) − 1, 1-Lipschitz, so
 *       f sees y only through the same directions and σf + g stays PL for small σ: along each
 *       direction it is s(u − c) + σρ(u − b), whose derivative vanishes only once while σ < 1.5
 *       (s' exceeds 1.5 in absolute value away from a neighbourhood of 0);</li>
 *   <li>φ(x) = Σᵢ ρ((Px)ᵢ − bᵢ) + λ Σⱼ cos xⱼ, nonconvex, with
 *       ∇φ(x) = Pᵀ ρ'(Px − b) − λ sin x.</li>
 * </ul>
 */
public final class SyntheticPlFamily implements Serializable {
  private final int dx;
  private final int dy;
  private final int r;
  private final double[][] q;
  private final double[][] p;
  private final double[] b;
  private final double lambda;

  public SyntheticPlFamily(int dx, int dy, int r, double lambda, long seed) {
    if (r < 1 || r >= dy) {
      throw new IllegalArgumentException("need 1 <= r < dim y, got r = " + r + ", dim y = " + dy);
    }
    this.dx = dx;
    this.dy = dy;
    this.r = r;
    this.lambda = lambda;
    Random random = new Random(seed);
    q = orthonormalRows(r, dy, random);
    p = new double[r][dx];
    b = new double[r];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < dx; j++) {
        p[i][j] = random.nextGaussian() / Math.sqrt(dx);
      }
      b[i] = random.nextGaussian();
    }
  }

  public int dimX() {
    return dx;
  }

  public int dimY() {
    return dy;
  }

  /** s(u) = u² + 3 sin² u. */
  static double s(double u) {
    double sin = Math.sin(u);
    return u * u + 3 * sin * sin;
  }

  /** s'(u) = 2u + 3 sin 2u. */
  static double sPrime(double u) {
    return 2 * u + 3 * Math.sin(2 * u);
  }

  private static double rho(double v) {
    return Math.sqrt(1 + v * v) - 1;
  }

  private static double rhoPrime(double v) {
    return v / Math.sqrt(1 + v * v);
  }

  private double direction(int i, double[] y) {
    double u = 0;
    for (int k = 0; k < dy; k++) {
      u += q[i][k] * y[k];
    }
    return u;
  }

  private double target(int i, double[] x) {
    double c = 0;
    for (int j = 0; j < dx; j++) {
      c += p[i][j] * x[j];
    }
    return c;
  }

  public BilevelProblem problem() {
    SmoothTerm upper = (x, y, gx, gy) -> {
      double value = 0;
      for (int i = 0; i < r; i++) {
        double v = direction(i, y) - b[i];
        value += rho(v);
        if (gy != null) {
          double d = rhoPrime(v);
          for (int k = 0; k < dy; k++) {
            gy[k] += d * q[i][k];
          }
        }
      }
      for (int j = 0; j < dx; j++) {
        value += lambda * Math.cos(x[j]);
        if (gx != null) {
          gx[j] -= lambda * Math.sin(x[j]);
        }
      }
      return value;
    };
    SmoothTerm lower = (x, y, gx, gy) -> {
      double value = 0;
      for (int i = 0; i < r; i++) {
        double u = direction(i, y) - target(i, x);
        value += s(u);
        double d = sPrime(u);
        if (gy != null) {
          for (int k = 0; k < dy; k++) {
            gy[k] += d * q[i][k];
          }
        }
        if (gx != null) {
          for (int j = 0; j < dx; j++) {
            gx[j] -= d * p[i][j];
          }
        }
      }
      return value;
    };
    return new BilevelProblem(dx, dy, null, null, upper, lower);
  }

  /** φ(x) = Σᵢ ρ((Px)ᵢ − bᵢ) + λ Σⱼ cos xⱼ. */
  public double hyperObjective(double[] x) {
    double value = 0;
    for (int i = 0; i < r; i++) {
      value += rho(target(i, x) - b[i]);
    }
    for (int j = 0; j < dx; j++) {
      value += lambda * Math.cos(x[j]);
    }
    return value;
  }

  /** ∇φ(x) = Pᵀ ρ'(Px − b) − λ sin x. */
  public double[] hypergradient(double[] x) {
    double[] grad = new double[dx];
    for (int i = 0; i < r; i++) {
      double d = rhoPrime(target(i, x) - b[i]);
      for (int j = 0; j < dx; j++) {
        grad[j] += d * p[i][j];
      }
    }
    for (int j = 0; j < dx; j++) {
      grad[j] -= lambda * Math.sin(x[j]);
    }
    return grad;
  }

  /** A point of Y*(x): the one in the span of the directions, ⟨qᵢ, y⟩ = (Px)ᵢ. */
  public double[] lowerSolution(double[] x) {
    double[] y = new double[dy];
    for (int i = 0; i < r; i++) {
      double c = target(i, x);
      for (int k = 0; k < dy; k++) {
        y[k] += c * q[i][k];
      }
    }
    return y;
  }

  private static double[][] orthonormalRows(int rows, int cols, Random random) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < cols; k++) {
        m[i][k] = random.nextGaussian();
      }
      for (int prev = 0; prev < i; prev++) {
        double dot = 0;
        for (int k = 0; k < cols; k++) {
          dot += m[i][k] * m[prev][k];
        }
        for (int k = 0; k < cols; k++) {
          m[i][k] -= dot * m[prev][k];
        }
      }
      double norm = 0;
      for (int k = 0; k < cols; k++) {
        norm += m[i][k] * m[i][k];
      }
      norm = Math.sqrt(norm);
      for (int k = 0; k < cols; k++) {
        m[i][k] /= norm;
      }
    }
    return m;
  }
}
