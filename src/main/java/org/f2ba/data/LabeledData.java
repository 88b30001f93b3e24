package org.f2ba.data;

import java.util.Arrays;

/**
 * Dense labeled samples held in memory: {@code features} is row-major (one sample per row of
 * {@code dim} values) and labels are class indices in [0, numClasses).
 */
public final class LabeledData implements RangeRows {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int rows;
  private final int dim;
  private final int numClasses;
  private final double[] features;
  private final int[] labels;

  public LabeledData(String name, int dim, int numClasses, double[] features, int[] labels) {
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
    if (rows == 0) {
      throw new InputException(name + ": the dataset is empty");
    }
    for (int i = 0; i < rows; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new InputException(name + ": sample " + i + " has label " + labels[i]
            + ", outside the " + numClasses + " classes [0, " + (numClasses - 1) + "]");
      }
    }
    for (int k = 0; k < features.length; k++) {
      if (!Double.isFinite(features[k])) {
        throw new InputException(name + ": sample " + (k / dim) + ", feature " + (k % dim)
            + " is " + features[k] + " (features must be finite)");
      }
    }
  }

  /** Rows [from, to) as a new dataset named {@code newName}. */
  public LabeledData slice(String newName, int from, int to) {
    if (from < 0 || to > rows || from >= to) {
      throw new InputException(name + ": cannot take samples [" + from + ", " + to + ") of "
          + rows);
    }
    return new LabeledData(newName, dim, numClasses,
        Arrays.copyOfRange(features, from * dim, to * dim), Arrays.copyOfRange(labels, from, to));
  }

  /** The same samples with other labels. */
  public LabeledData withLabels(int[] newLabels) {
    return new LabeledData(name, dim, numClasses, features, newLabels);
  }

  @Override
  public boolean inMemory() {
    return true;
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
  public int[] labels() {
    return labels;
  }
}
