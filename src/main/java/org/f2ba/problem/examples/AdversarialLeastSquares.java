package org.f2ba.problem.examples;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.SplittableRandom;
import org.netlib.util.intW;
import org.f2ba.data.LabeledData;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.PerturbedLabelsLoss;

/**
 * Adversarial training by least squares, Example 5.4 and Section 7.1 of the companion paper: on
 * n samples (A, b), min over the model x of (1/2n)‖Ax − y‖² while an adversary sets the labels
 * y ∈ argmin (1/2n)‖Ax − y‖²_M + (λ/2n)‖y − b‖²_M. M is diagonal: half its entries, at samples
 * drawn by the seed, spread evenly over [σ⁺min, σmax], the rest zero; A has a column of ones
 * (x includes a bias). The lower level is PL but not strongly convex: yᵢ is free where mᵢ = 0,
 * and φ takes the best such yᵢ for f, aᵢ·x itself. Where mᵢ > 0, yᵢ* = (aᵢ·x + λbᵢ)/(1 + λ)
 * whatever mᵢ, so φ(x) = (1/2n)(λ/(1 + λ))² Σ_{mᵢ>0} (aᵢ·x − bᵢ)², in closed form with its
 * gradient and minimum.
 */
public final class AdversarialLeastSquares {
  private final LabeledData data;
  private final double lambda;
  private final double[] weights;

  /**
   * @param data the samples, with real-valued labels b
   * @param lambda λ > 0
   * @param sigmaMin σ⁺min, the least non-zero entry of M
   * @param sigmaMax σmax ≥ σ⁺min, the largest
   * @param seed which samples have mᵢ > 0, and in which order their entries rise
   */
  public AdversarialLeastSquares(LabeledData data, double lambda, double sigmaMin,
      double sigmaMax, long seed) {
    this.data = data;
    this.lambda = lambda;
    this.weights = diagonal(data.rows(), sigmaMin, sigmaMax, seed);
  }

  /** M's diagonal: a random half of the n entries evenly over [σmin, σmax], the rest 0. */
  private static double[] diagonal(int n, double sigmaMin, double sigmaMax, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[] m = new double[n];
    int half = Math.max(1, n / 2);
    for (int k = 0; k < half; k++) {
      m[order[k]] = half == 1 ? sigmaMax : sigmaMin + (sigmaMax - sigmaMin) * k / (half - 1);
    }
    return m;
  }

  /** The bilevel problem over x (d + 1 entries, the bias last) and y (one label per sample). */
  public BilevelProblem problem() {
    return new BilevelProblem(data.dim() + 1, data.rows(), new PerturbedLabelsLoss(null, 0),
        new PerturbedLabelsLoss(weights, lambda), null, null);
  }

  /** M's diagonal, sample by sample. */
  public double[] weights() {
    return weights.clone();
  }

  /** φ(x), Table 2's MSE. */
  public double hyperObjective(double[] x) {
    double sum = 0;
    for (int i = 0; i < data.rows(); i++) {
      if (weights[i] > 0) {
        double r = residual(x, i);
        sum += r * r;
      }
    }
    return 0.5 * shrink() * sum / data.rows();
  }

  /** ∇φ(x) = (1/n)(λ/(1 + λ))² Σ_{mᵢ>0} (aᵢ·x − bᵢ) aᵢ. */
  public double[] hypergradient(double[] x) {
    int d = data.dim();
    double[] gradient = new double[d + 1];
    double scale = shrink() / data.rows();
    for (int i = 0; i < data.rows(); i++) {
      if (weights[i] > 0) {
        double r = scale * residual(x, i);
        for (int j = 0; j < d; j++) {
          gradient[j] += r * data.features()[i * d + j];
        }
        gradient[d] += r;
      }
    }
    return gradient;
  }

  /**
   * The minimizer of φ: least squares on the samples with mᵢ > 0, from the normal equations
   * (LAPACK's Cholesky solver; the features must not be collinear there).
   */
  public double[] minimizer() {
    int d = data.dim();
    int w = d + 1;
    double[] gram = new double[w * w];
    double[] rhs = new double[w];
    double[] row = new double[w];
    for (int i = 0; i < data.rows(); i++) {
      if (weights[i] > 0) {
        System.arraycopy(data.features(), i * d, row, 0, d);
        row[d] = 1;
        for (int j = 0; j < w; j++) {
          rhs[j] += row[j] * data.labels()[i];
          for (int k = 0; k <= j; k++) {
            gram[j * w + k] += row[j] * row[k];
          }
        }
      }
    }
    intW info = new intW(0);
    // gram's lower triangle row-major is, to column-major LAPACK, the upper one.
    LAPACK.getInstance().dposv("U", w, 1, gram, w, rhs, w, info);
    if (info.val != 0) {
      throw new IllegalArgumentException("the features of the samples with m > 0 are"
          + " collinear: φ has no unique minimizer");
    }
    return rhs;
  }

  private double residual(double[] x, int i) {
    int d = data.dim();
    double prediction = x[d];
    for (int j = 0; j < d; j++) {
      prediction += data.features()[i * d + j] * x[j];
    }
    return prediction - data.labels()[i];
  }

  private double shrink() {
    double s = lambda / (1 + lambda);
    return s * s;
  }
}
