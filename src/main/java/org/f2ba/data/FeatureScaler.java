package org.f2ba.data;

import java.io.Serializable;

/**
 * Per-feature scaling with the statistics of a reference dataset (the training set): centering
 * (x − mean), standardization (x − mean) / std, or scaling x / std, which keeps zeros zero and
 * sparse data sparse (Spark ML's StandardScaler without its mean). Features constant in the
 * reference are not divided.
 */
public final class FeatureScaler implements Serializable {
  private static final long serialVersionUID = 2L;

  private final double[] mean;
  private final double[] scale;

  private FeatureScaler(FeatureStatistics reference, boolean centered, boolean unitVariance) {
    int d = reference.dim();
    mean = new double[d];
    scale = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = centered ? reference.mean(j) : 0;
      double std = reference.std(j);
      scale[j] = unitVariance && std > 1e-12 ? 1 / std : 1;
    }
  }

  /** x − mean. */
  public static FeatureScaler centering(FeatureStatistics reference) {
    return new FeatureScaler(reference, true, false);
  }

  /** (x − mean) / std. */
  public static FeatureScaler standardizing(FeatureStatistics reference) {
    return new FeatureScaler(reference, true, true);
  }

  /** x / std, zeros kept. */
  public static FeatureScaler scalingOnly(FeatureStatistics reference) {
    return new FeatureScaler(reference, false, true);
  }

  /** Whether the scaler subtracts the mean, and so makes zeros non-zero. */
  public boolean centers() {
    for (double m : mean) {
      if (m != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The linear model on the features as read that computes what {@code model} computes on the
   * scaled ones: {@code model} holds numClasses columns (column-major) of the weights of each
   * feature and, last, the bias; w'ⱼ = wⱼ·scaleⱼ, b' = b − Σⱼ wⱼ·scaleⱼ·meanⱼ.
   */
  public double[] unscaledModel(double[] model, int numClasses) {
    int width = mean.length + 1;
    double[] raw = new double[model.length];
    for (int c = 0; c < numClasses; c++) {
      double bias = model[c * width + mean.length];
      for (int j = 0; j < mean.length; j++) {
        raw[c * width + j] = model[c * width + j] * scale[j];
        bias -= raw[c * width + j] * mean[j];
      }
      raw[c * width + mean.length] = bias;
    }
    return raw;
  }

  /** Feature {@code j} of value {@code value}, scaled. */
  public double apply(double value, int j) {
    return (value - mean[j]) * scale[j];
  }
}
