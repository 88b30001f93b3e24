package org.f2ba.problem;

/**
 * The regularizer Σⱼ cⱼ yⱼ² of the linear model y (column-major, width × numClasses), where the
 * coefficient cⱼ is either a constant λ or exp(x_{group(j)}) for a learned log-scale strength:
 * one for all of y, one per class, or one per input feature (the bias counts as a feature).
 */
public final class L2Penalty implements SecondOrderTerm {
  private static final long serialVersionUID = 1L;

  /** Which entry of x scales the penalty of each entry of y. */
  public enum Granularity {
    SCALAR, PER_CLASS, PER_FEATURE;

    /** The number of entries of x. */
    public int dimX(int width, int numClasses) {
      return switch (this) {
        case SCALAR -> 1;
        case PER_CLASS -> numClasses;
        case PER_FEATURE -> width;
      };
    }
  }

  private final int width;
  private final Granularity granularity;
  private final double fixedCoefficient;

  private L2Penalty(int width, Granularity granularity, double fixedCoefficient) {
    this.width = width;
    this.granularity = granularity;
    this.fixedCoefficient = fixedCoefficient;
  }

  /** exp(x_{group(j)}) Σ yⱼ², the learned regularization of regularization tuning. */
  public static L2Penalty learned(int width, Granularity granularity) {
    return new L2Penalty(width, granularity, Double.NaN);
  }

  /** λ ‖y‖², independent of x. */
  public static L2Penalty fixed(double lambda) {
    return new L2Penalty(0, null, lambda);
  }

  private int group(int j) {
    return switch (granularity) {
      case SCALAR -> 0;
      case PER_CLASS -> j / width;
      case PER_FEATURE -> j % width;
    };
  }

  @Override
  public boolean readsX() {
    return granularity != null;
  }

  /** The coefficient cⱼ of yⱼ². */
  private double coefficient(double[] x, int j) {
    return granularity == null ? fixedCoefficient : Math.exp(x[group(j)]);
  }

  @Override
  public double evaluate(double[] x, double[] y, double[] gradX, double[] gradY) {
    double value = 0;
    for (int j = 0; j < y.length; j++) {
      double c = coefficient(x, j);
      double sq = y[j] * y[j];
      value += c * sq;
      if (gradY != null) {
        gradY[j] += 2 * c * y[j];
      }
      if (gradX != null && granularity != null) {
        gradX[group(j)] += c * sq;
      }
    }
    return value;
  }

  /**
   * Along v: ⟨∇y, v⟩ = Σⱼ 2cⱼyⱼvⱼ, (∇²yy·v)ⱼ = 2cⱼvⱼ, and for a learned coefficient
   * (∇²xy·v)_g = Σ over j of group g of 2cⱼyⱼvⱼ.
   */
  @Override
  public double evaluateAlong(double[] x, double[] y, double[] v, double[] gradX,
      double[] gradY) {
    double value = 0;
    for (int j = 0; j < y.length; j++) {
      double c = coefficient(x, j);
      double rate = 2 * c * y[j] * v[j];
      value += rate;
      if (gradY != null) {
        gradY[j] += 2 * c * v[j];
      }
      if (gradX != null && granularity != null) {
        gradX[group(j)] += rate;
      }
    }
    return value;
  }
}
