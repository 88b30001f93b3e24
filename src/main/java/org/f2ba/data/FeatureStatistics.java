package org.f2ba.data;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The mean and standard deviation of every feature over some rows, from the exact sums of the
 * values and of their squares. The sums are kept exactly (each as a few doubles whose sum it is,
 * Shewchuk's non-overlapping expansions, as Python's {@code math.fsum} keeps them), so they do not
 * depend on the order of the rows: the executors that hold a dataset's parts, however it is cut,
 * compute the statistics that the rows held in one place give, bit for bit. A sparse row adds its
 * non-zeros only, and gives the statistics of the same row stored densely.
 */
public final class FeatureStatistics implements Serializable {
  private static final long serialVersionUID = 3L;

  private long rows;
  /**
   * Per feature, the exact sum of its values and of their squares; null for a feature that has
   * been only zero (most of them, in a part of a sparse dataset).
   */
  private final ExactSum[] sums;
  private final ExactSum[] squares;

  public FeatureStatistics(int dim) {
    sums = new ExactSum[dim];
    squares = new ExactSum[dim];
  }

  /** Adds the dense row whose features start at {@code values[offset]}. */
  public void add(double[] values, int offset) {
    rows++;
    for (int j = 0; j < sums.length; j++) {
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
    if (value != 0) {
      double square = value * value;
      sumsOf(j).add(value);
      squares[j].add(square);
      squares[j].add(Math.fma(value, value, -square)); // the square's rounding error
    }
  }

  /** The sums of feature j, made when it first has a value. */
  private ExactSum sumsOf(int j) {
    if (sums[j] == null) {
      sums[j] = new ExactSum();
      squares[j] = new ExactSum();
    }
    return sums[j];
  }

  /** Adds the rows {@code other} has seen. */
  public void merge(FeatureStatistics other) {
    rows += other.rows;
    for (int j = 0; j < sums.length; j++) {
      if (other.sums[j] != null) {
        sumsOf(j).add(other.sums[j]);
        squares[j].add(other.squares[j]);
      }
    }
  }

  public long count() {
    return rows;
  }

  /** The mean; infinite where the values are too large for their sum to be a double. */
  public double mean(int feature) {
    if (sums[feature] == null) {
      return 0;
    }
    BigDecimal sum = sums[feature].exact();
    return sum == null ? Double.POSITIVE_INFINITY
        : sum.divide(BigDecimal.valueOf(rows), MathContext.DECIMAL128).doubleValue();
  }

  /**
   * The population standard deviation: √((n Σx² − (Σx)²) / n²), computed exactly then rounded;
   * infinite where the values' squares are too large for a double (beyond 10¹⁵⁴).
   */
  public double std(int feature) {
    if (sums[feature] == null) {
      return 0;
    }
    BigDecimal n = BigDecimal.valueOf(rows);
    BigDecimal sum = sums[feature].exact();
    BigDecimal sumOfSquares = squares[feature].exact();
    if (sum == null || sumOfSquares == null) {
      return Double.POSITIVE_INFINITY;
    }
    BigDecimal spread = sumOfSquares.multiply(n).subtract(sum.multiply(sum));
    return Math.sqrt(spread.divide(n.multiply(n), MathContext.DECIMAL128).doubleValue());
  }

  public int dim() {
    return sums.length;
  }

  /**
   * A sum of doubles kept exactly, as non-overlapping doubles of increasing magnitude whose sum it
   * is (Shewchuk, "Adaptive precision floating-point arithmetic", 1997: grow-expansion).
   */
  private static final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double[] NONE = {};

    private double[] partials = NONE;
    private int size;

    void add(double value) {
      double x = value;
      int kept = 0;
      for (int i = 0; i < size; i++) {
        double y = partials[i];
        if (Math.abs(x) < Math.abs(y)) {
          double t = x;
          x = y;
          y = t;
        }
        double high = x + y;
        double low = y - (high - x);
        if (low != 0) {
          partials[kept++] = low;
        }
        x = high;
      }
      if (kept == partials.length) {
        partials = Arrays.copyOf(partials, Math.max(4, 2 * kept));
      }
      partials[kept] = x;
      size = kept + 1;
    }

    void add(ExactSum other) {
      for (int i = 0; i < other.size; i++) {
        add(other.partials[i]);
      }
    }

    /** The sum, or null where it overflowed a double on the way. */
    BigDecimal exact() {
      BigDecimal total = BigDecimal.ZERO;
      for (int i = 0; i < size; i++) {
        if (!Double.isFinite(partials[i])) {
          return null;
        }
        total = total.add(new BigDecimal(partials[i]));
      }
      return total;
    }
  }
}
