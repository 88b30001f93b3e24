package org.f2ba.problem;

import java.util.Arrays;

/**
 * Scratch arrays reused by the loss computations of one thread (a Spark task thread, a worker of
 * the in-process engine), so that evaluating a block allocates nothing. Arrays only grow.
 */
final class Workspace {
  private static final ThreadLocal<Workspace> CURRENT = ThreadLocal.withInitial(Workspace::new);

  private double[] data = new double[0];
  private double[] models = new double[0];
  private double[] scores = new double[0];
  private double[] gradient = new double[0];
  private double[] rowWeights = new double[0];
  private double[] rowLosses = new double[0];
  private double[] hidden = new double[0];
  private double[] logits = new double[0];
  private double[] residuals = new double[0];
  private double[] backward = new double[0];
  private double[] outputGradient = new double[0];
  private float[] floatModels = new float[0];
  private float[] floatScores = new float[0];
  private float[] floatGradient = new float[0];

  static Workspace get() {
    return CURRENT.get();
  }

  /** A chunk of a block's values in double precision. */
  double[] data(int size) {
    return data = fit(data, size);
  }

  /** The model matrices of all points side by side. */
  double[] models(int size) {
    return models = fit(models, size);
  }

  /** Logits, then residuals, of all points. */
  double[] scores(int size) {
    return scores = fit(scores, size);
  }

  /** The gradients of all points side by side. */
  double[] gradient(int size) {
    return gradient = fit(gradient, size);
  }

  /** Per-row sample weights of a block. */
  double[] rowWeights(int size) {
    return rowWeights = fit(rowWeights, size);
  }

  /** Per-row losses of a block at all points, point after point. */
  double[] rowLosses(int size) {
    return rowLosses = fit(rowLosses, size);
  }

  /** A network's hidden-unit values over a chunk of rows, of all points. */
  double[] hidden(int size) {
    return hidden = fit(hidden, size);
  }

  /** A network's logits over a chunk of rows, then their residuals. */
  double[] logits(int size) {
    return logits = fit(logits, size);
  }

  /** A network's residuals over a chunk of rows, where the logits hold their derivatives. */
  double[] residuals(int size) {
    return residuals = fit(residuals, size);
  }

  /** A network's residuals carried back to its hidden units over a chunk of rows. */
  double[] backward(int size) {
    return backward = fit(backward, size);
  }

  /** The gradients of a network's output layers, of all points side by side. */
  double[] outputGradient(int size) {
    return outputGradient = fit(outputGradient, size);
  }

  /** The model matrices in single precision. */
  float[] floatModels(int size) {
    return floatModels = fit(floatModels, size);
  }

  /** A product's output, or its residual input, in single precision. */
  float[] floatScores(int size) {
    return floatScores = fit(floatScores, size);
  }

  /** A chunk's gradient in single precision. */
  float[] floatGradient(int size) {
    return floatGradient = fit(floatGradient, size);
  }

  /** The first {@code size} entries of each model side by side, in {@link #models}. */
  double[] sideBySide(int size, double[][] all) {
    double[] w = models(size * all.length);
    for (int p = 0; p < all.length; p++) {
      System.arraycopy(all[p], 0, w, p * size, size);
    }
    return w;
  }

  /** {@code array} with its first {@code size} entries zero. */
  static double[] zeroed(double[] array, int size) {
    Arrays.fill(array, 0, size, 0.0);
    return array;
  }

  private static double[] fit(double[] array, int size) {
    return array.length >= size ? array : new double[Math.max(size, array.length * 3 / 2)];
  }

  private static float[] fit(float[] array, int size) {
    return array.length >= size ? array : new float[Math.max(size, array.length * 3 / 2)];
  }
}
