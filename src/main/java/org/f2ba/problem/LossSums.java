package org.f2ba.problem;

import java.io.Serializable;

/**
 * Sums of a loss over a set of samples: its value, its gradients in x and y (each null when not
 * asked for), the number of samples, and loss-specific statistics such as correct predictions.
 */
public final class LossSums implements Serializable {
  private static final long serialVersionUID = 1L;

  public double value;
  public final double[] gradX;
  public final double[] gradY;
  public long count;
  public final double[] statistics;

  public LossSums(int dimX, int dimY, boolean wantGradX, boolean wantGradY, int numStatistics) {
    this.gradX = wantGradX ? new double[dimX] : null;
    this.gradY = wantGradY ? new double[dimY] : null;
    this.statistics = new double[numStatistics];
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

  /** Adds {@code other} into this. */
  public void add(LossSums other) {
    value += other.value;
    count += other.count;
    addInto(gradX, other.gradX);
    addInto(gradY, other.gradY);
    addInto(statistics, other.statistics);
  }

  private static void addInto(double[] target, double[] source) {
    if (target != null) {
      for (int i = 0; i < target.length; i++) {
        target[i] += source[i];
      }
    }
  }
}
