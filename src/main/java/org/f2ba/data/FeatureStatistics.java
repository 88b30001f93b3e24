package org.f2ba.data;

import java.io.Serializable;

/**
 * The count, mean and sum of squared deviations of every feature over some rows, gathered one row
 * at a time (Welford's update) and merged across parts (Chan et al.'s pairwise formula), so that
 * the executors that hold a dataset's parts can compute its statistics in one aggregation. A
 * sparse row updates only its non-zeros: each feature keeps the statistics of the values it was
 * given, and the zeros it was not given join them, by the same pairwise formula, when its mean or
 * deviation is asked for. The result depends on the order of rows and parts, which callers fix.
 */
public final class FeatureStatistics implements Serializable {
  private static final long serialVersionUID = 2L;

  private long rows;
  /** Per feature: the values it was given, their mean and their sum of squared deviations. */
  private final long[] counts;
  private final double[] mean;
  private final double[] squares;

  public FeatureStatistics(int dim) {
    counts = new long[dim];
    mean = new double[dim];
    squares = new double[dim];
  }

  /** Adds the dense row whose features start at {@code values[offset]}. */
  public void add(double[] values, int offset) {
    rows++;
    for (int j = 0; j < mean.length; j++) {
      update(j, values[offset + j]);
    }
  }

  /**
   * Adds a sparse row: {@code values[k]} at feature {@code features[k]} for k in [from, to),
   * zeros elsewhere.
   */
  public void addSparse(int[] features, double[] values, int from, int to) {
    rows++;
    for (int k = from; k < to; k++) {
      update(features[k], values[k]);
    }
  }

  private void update(int j, double value) {
    long count = ++counts[j];
    double delta = value - mean[j];
    mean[j] += delta / count;
    squares[j] += delta * (value - mean[j]);
  }

  /** Adds the rows {@code other} has seen (after this one's). */
  public void merge(FeatureStatistics other) {
    rows += other.rows;
    for (int j = 0; j < mean.length; j++) {
      long count = counts[j];
      long more = other.counts[j];
      if (more == 0) {
        continue;
      }
      if (count == 0) { // exactly the other's, as if its rows had been added here
        counts[j] = more;
        mean[j] = other.mean[j];
        squares[j] = other.squares[j];
        continue;
      }
      long total = count + more;
      double delta = other.mean[j] - mean[j];
      mean[j] += delta * more / total;
      squares[j] += other.squares[j] + delta * delta * ((double) count * more / total);
      counts[j] = total;
    }
  }

  public long count() {
    return rows;
  }

  public double mean(int feature) {
    long given = counts[feature];
    return given == rows ? mean[feature] : mean[feature] * given / rows;
  }

  /** The population standard deviation. */
  public double std(int feature) {
    if (rows == 0) {
      return 0;
    }
    long given = counts[feature];
    double m = mean[feature];
    double sum = squares[feature] + m * m * ((double) given * (rows - given) / rows);
    return Math.sqrt(sum / rows);
  }

  public int dim() {
    return mean.length;
  }
}
