package org.f2ba.data;

/**
 * Per-feature centering (x − mean), or standardization (x − mean) / std, with the mean and
 * standard deviation of a reference dataset (the training set); features constant there are only
 * centered.
 */
public final class FeatureScaler {
  private final double[] mean;
  private final double[] scale;

  public FeatureScaler(LabeledData reference, boolean unitVariance) {
    int d = reference.dim();
    int n = reference.rows();
    double[] f = reference.features();
    mean = new double[d];
    scale = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        mean[j] += f[i * d + j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        double c = f[i * d + j] - mean[j];
        scale[j] += c * c;
      }
    }
    for (int j = 0; j < d; j++) {
      double std = Math.sqrt(scale[j] / n);
      scale[j] = unitVariance && std > 1e-12 ? 1 / std : 1;
    }
  }

  /** The dataset with its features scaled. */
  public LabeledData apply(LabeledData data) {
    int d = data.dim();
    double[] in = data.features();
    double[] out = new double[in.length];
    for (int k = 0; k < in.length; k++) {
      out[k] = (in[k] - mean[k % d]) * scale[k % d];
    }
    return new LabeledData(data.name(), d, data.numClasses(), out, data.labels());
  }
}
