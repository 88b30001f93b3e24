package org.f2ba.problem;

import java.io.Serializable;

/**
 * Sums of a loss over a set of samples: its value, its gradients in x and y (each null when not
 * asked for), the number of samples, and loss-specific statistics such as correct predictions.
 * The gradient in x covers the entries of x from {@link #xFrom()} on, as many as it has: all of
 * x, or where the loss depends on x per sample, the entries of the samples summed, or none where
 * the loss does not depend on x.
 */
public final class LossSums implements Serializable {
  private static final long serialVersionUID = 1L;

  public double value;
  private final int xFrom;
  public final double[] gradX;
  public final double[] gradY;
  public long count;
  public final double[] statistics;

  /** Sums whose gradient in x covers all of x. */
  public LossSums(int dimX, int dimY, boolean wantGradX, boolean wantGradY, int numStatistics) {
    this(0, dimX, dimY, wantGradX, wantGradY, numStatistics);
  }

  /** Sums whose gradient in x covers the {@code xLength} entries from {@code xFrom} on. */
  public LossSums(int xFrom, int xLength, int dimY, boolean wantGradX, boolean wantGradY,
      int numStatistics) {
    this.xFrom = xFrom;
    this.gradX = wantGradX ? new double[xLength] : null;
    this.gradY = wantGradY ? new double[dimY] : null;
    this.statistics = new double[numStatistics];
  }

  /** The entry of x that gradX[0] is the derivative in. */
  public int xFrom() {
    return xFrom;
  }

  /**
   * These sums with the gradient in x over all {@code dimX} entries of x (zero outside what it
   * covers): this where it covers them already, else a copy.
   */
  public LossSums overAllOfX(int dimX) {
    if (gradX == null || (xFrom == 0 && gradX.length == dimX)) {
      return this;
    }
    LossSums all = new LossSums(dimX, gradY == null ? 0 : gradY.length, true, gradY != null,
        statistics.length);
    all.add(this);
    return all;
  }

  /**
   * Turns the sums into means over the samples, in place: value, gradients and statistics
   * divided by the sample count (left as they are where there were no samples). Returns this.
   */
  public LossSums toMeans() {
    if (count > 0) {
      value /= count;
      for (double[] sums : new double[][] {gradX, gradY, statistics}) {
        if (sums != null) {
          for (int i = 0; i < sums.length; i++) {
            sums[i] /= count;
          }
        }
      }
    }
    return this;
  }

  /** Whether any of {@code sums} asks for a gradient in y. */
  static boolean anyGradY(LossSums[] sums) {
    for (LossSums s : sums) {
      if (s.gradY != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether any of {@code sums} asks for a gradient in x. */
  static boolean anyGradX(LossSums[] sums) {
    for (LossSums s : sums) {
      if (s.gradX != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds {@code length} entries of {@code source} from {@code from} on to the gradient in y
   * from entry {@code at} on, where it is asked for.
   */
  void addToGradY(int at, double[] source, int from, int length) {
    if (gradY != null) {
      for (int j = 0; j < length; j++) {
        gradY[at + j] += source[from + j];
      }
    }
  }

  /** A copy of these sums without the gradient in x. */
  public LossSums withoutGradX() {
    LossSums copy = new LossSums(0, 0, gradY == null ? 0 : gradY.length, false, gradY != null,
        statistics.length);
    copy.add(this);
    return copy;
  }

  /** Adds {@code other}, whose gradient in x covers entries this one covers, into this. */
  public void add(LossSums other) {
    value += other.value;
    count += other.count;
    if (gradX != null && other.gradX.length > 0 && (other.xFrom < xFrom
        || other.xFrom + other.gradX.length > xFrom + gradX.length)) {
      throw new IllegalArgumentException("the gradient in x of entries " + other.xFrom + " to "
          + (other.xFrom + other.gradX.length) + " falls outside " + xFrom + " to "
          + (xFrom + gradX.length));
    }
    addInto(gradX, other.xFrom - xFrom, other.gradX);
    addInto(gradY, 0, other.gradY);
    addInto(statistics, 0, other.statistics);
  }

  private static void addInto(double[] target, int from, double[] source) {
    if (target != null) {
      for (int i = 0; i < source.length; i++) {
        target[from + i] += source[i];
      }
    }
  }
}
