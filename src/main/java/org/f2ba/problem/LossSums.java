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

  /** The value divided by the sample count (the value itself where there were no samples). */
  public double meanValue() {
    return count > 0 ? value / count : value;
  }

  /** A new array: the gradient in x divided by the sample count. */
  public double[] meanGradX() {
    return mean(gradX);
  }

  /** A new array: the gradient in y divided by the sample count. */
  public double[] meanGradY() {
    return mean(gradY);
  }

  private double[] mean(double[] sum) {
    double[] mean = sum.clone();
    if (count > 0) {
      for (int i = 0; i < mean.length; i++) {
        mean[i] /= count;
      }
    }
    return mean;
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
