package org.f2ba.data;

import java.io.Serializable;

/**
 * Per-feature centering (x − mean), or standardization (x − mean) / std, with the mean and
 * standard deviation of a reference dataset (the training set); features constant there are only
 * centered.
 */
public final class FeatureScaler implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] mean;
  private final double[] scale;

  public FeatureScaler(FeatureStatistics reference, boolean unitVariance) {
    int d = reference.dim();
    mean = new double[d];
    scale = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = reference.mean(j);
      double std = reference.std(j);
      scale[j] = unitVariance && std > 1e-12 ? 1 / std : 1;
    }
  }

  /** Feature {@code j} of value {@code value}, scaled. */
  public double apply(double value, int j) {
    return (value - mean[j]) * scale[j];
  }

  /** The dataset with its features scaled. */
  public LabeledData apply(LabeledData data) {
    int d = data.dim();
    double[] in = data.features();
    double[] out = new double[in.length];
    for (int k = 0; k < in.length; k++) {
      out[k] = apply(in[k], k % d);
    }
    return new LabeledData(data.name(), d, data.numClasses(), out, data.labels());
  }
}
