package org.f2ba.data;

import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * Dense labeled samples held in memory: {@code features} is row-major (one sample per row of
 * {@code dim} values) and labels are class indices in [0, numClasses), or real values where
 * numClasses is 0 (regression).
 */
public final class LabeledData implements InMemoryRows {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int rows;
  private final int dim;
  private final int numClasses;
  private final double[] features;
  private final double[] labels;

  public LabeledData(String name, int dim, int numClasses, double[] features, double[] labels) {
    if (features.length != (long) labels.length * dim) {
      throw new InputException(name + ": " + features.length + " feature values for "
          + labels.length + " samples of dimension " + dim);
    }
    this.name = name;
    this.rows = labels.length;
    this.dim = dim;
    this.numClasses = numClasses;
    this.features = features;
    this.labels = labels;
    validate();
  }

  private void validate() {
    InMemoryRows.checkLabels(name, labels, numClasses);
    for (int k = 0; k < features.length; k++) {
      if (!Double.isFinite(features[k])) {
        throw new InputException(name + ": sample " + (k / dim) + ", feature " + (k % dim)
            + " is " + features[k] + " (features must be finite)");
      }
    }
  }

  @Override
  public LabeledData slice(String newName, int from, int to) {
    InputRows.checkRange(name, from, to, rows);
    return new LabeledData(newName, dim, numClasses,
        Arrays.copyOfRange(features, from * dim, to * dim), Arrays.copyOfRange(labels, from, to));
  }

  @Override
  public LabeledData withLabelNoise(double p, long seed) {
    return new LabeledData(name, dim, numClasses, features,
        LabelNoise.corrupt(labels, numClasses, p, seed));
  }

  @Override
  public LabeledData scaled(FeatureScaler scaler) {
    double[] out = new double[features.length];
    for (int k = 0; k < features.length; k++) {
      out[k] = scaler.apply(features[k], k % dim);
    }
    return new LabeledData(name, dim, numClasses, out, labels);
  }

  @Override
  public FeatureStatistics statistics() {
    FeatureStatistics statistics = new FeatureStatistics(dim);
    for (int i = 0; i < rows; i++) {
      statistics.add(features, i * dim);
    }
    return statistics;
  }

  @Override
  public boolean sparse() {
    return false;
  }

  @Override
  public Vector vector(int row) {
    return Vectors.dense(Arrays.copyOfRange(features, row * dim, (row + 1) * dim));
  }

  @Override
  public DataBlock block(int from, int to) {
    return DataBlock.of(this, from, to);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  public double[] features() {
    return features;
  }

  @Override
  public double[] labels() {
    return labels;
  }
}
