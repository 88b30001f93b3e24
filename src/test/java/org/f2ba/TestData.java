package org.f2ba;

import java.util.Random;
import org.f2ba.data.LabeledData;
import org.f2ba.problem.examples.QuadraticProblem;

/** Small synthetic data for tests. */
public final class TestData {
  private TestData() {
  }

  /** Samples drawn around one random center per class, with Gaussian noise. */
  public static LabeledData clusters(String name, int rows, int dim, int classes, long seed) {
    Random random = new Random(seed);
    Random centers = new Random(42);
    double[][] center = new double[classes][dim];
    for (double[] c : center) {
      for (int j = 0; j < dim; j++) {
        c[j] = centers.nextGaussian();
      }
    }
    double[] features = new double[rows * dim];
    double[] labels = new double[rows];
    for (int i = 0; i < rows; i++) {
      int label = random.nextInt(classes);
      labels[i] = label;
      for (int j = 0; j < dim; j++) {
        features[i * dim + j] = center[label][j] + 0.8 * random.nextGaussian();
      }
    }
    return new LabeledData(name, dim, classes, features, labels);
  }

  /** Regression samples: Gaussian features, labels a·w + 1 + noise of deviation 0.3. */
  public static LabeledData regression(String name, int rows, int dim, long seed) {
    Random random = new Random(seed);
    double[] w = gaussian(dim, 1, seed + 1);
    double[] features = gaussian(rows * dim, 1, seed + 2);
    double[] labels = new double[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = 1 + 0.3 * random.nextGaussian();
      for (int j = 0; j < dim; j++) {
        labels[i] += features[i * dim + j] * w[j];
      }
    }
    return new LabeledData(name, dim, 0, features, labels);
  }

  /** A small quadratic bilevel problem: dim x 2, dim y 3, A symmetric positive definite. */
  public static QuadraticProblem quadratic() {
    double[] a = {4, 1, 0, 1, 3, 0.5, 0, 0.5, 2};
    double[] b = {1, 0, 0.5, 1, -1, 2};
    return new QuadraticProblem(2, 3, a, b, new double[] {1, -1, 0.5}, 0.1);
  }

  public static double[] gaussian(int n, double scale, long seed) {
    Random random = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * random.nextGaussian();
    }
    return v;
  }
}
