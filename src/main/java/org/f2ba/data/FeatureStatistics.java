package org.f2ba.data;

import java.io.Serializable;

/**
 * The count, mean and sum of squared deviations of every feature over some rows, gathered one row
 * at a time (Welford's update) and merged across parts (Chan et al.'s pairwise formula), so that
 * the executors that hold a dataset's parts can compute its statistics in one aggregation. The
 * result depends on the order of rows and parts, which callers fix.
 */
public final class FeatureStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private final double[] mean;
  private final double[] squares;

  public FeatureStatistics(int dim) {
    mean = new double[dim];
    squares = new double[dim];
  }

  /** The statistics of every row of {@code data}, in row order. */
  public static FeatureStatistics of(LabeledData data) {
    FeatureStatistics statistics = new FeatureStatistics(data.dim());
    for (int i = 0; i < data.rows(); i++) {
      statistics.add(data.features(), i * data.dim());
    }
    return statistics;
  }

  /** Adds the row whose features start at {@code values[offset]}. */
  public void add(double[] values, int offset) {
    count++;
    for (int j = 0; j < mean.length; j++) {
      double delta = values[offset + j] - mean[j];
      mean[j] += delta / count;
      squares[j] += delta * (values[offset + j] - mean[j]);
    }
  }

  /** Adds the rows {@code other} has seen (after this one's). */
  public void merge(FeatureStatistics other) {
    if (other.count == 0) {
      return;
    }
    if (count == 0) { // exactly the other's, as if its rows had been added here
      count = other.count;
      System.arraycopy(other.mean, 0, mean, 0, mean.length);
      System.arraycopy(other.squares, 0, squares, 0, squares.length);
      return;
    }
    long total = count + other.count;
    for (int j = 0; j < mean.length; j++) {
      double delta = other.mean[j] - mean[j];
      mean[j] += delta * other.count / total;
      squares[j] += other.squares[j] + delta * delta * ((double) count * other.count / total);
    }
    count = total;
  }

  public long count() {
    return count;
  }

  public double mean(int feature) {
    return mean[feature];
  }

  /** The population standard deviation. */
  public double std(int feature) {
    return count == 0 ? 0 : Math.sqrt(squares[feature] / count);
  }

  public int dim() {
    return mean.length;
  }
}
