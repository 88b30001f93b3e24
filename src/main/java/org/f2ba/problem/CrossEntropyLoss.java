package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * Multinomial cross-entropy of the classifier y, independent of x: the validation loss of the
 * upper level, and the training loss of regularization tuning. Statistic 0 counts correct
 * predictions.
 */
public final class CrossEntropyLoss implements SecondOrderLoss {
  private static final long serialVersionUID = 1L;
  private final Classifier model;

  /** Over the linear model of {@code numClasses} classes (multinomial logistic regression). */
  public CrossEntropyLoss(int numClasses) {
    this(Classifier.linear(numClasses));
  }

  /** Over the classifier {@code model}. */
  public CrossEntropyLoss(Classifier model) {
    this.model = model;
  }

  @Override
  public XDependence xDependence() {
    return XDependence.NONE;
  }

  @Override
  public int numStatistics() {
    return 1;
  }

  @Override
  public void accumulate(DataBlock block, Arithmetic arithmetic, double[] x, double[][] ys,
      LossSums[] sums) {
    model.accumulate(block, arithmetic, ys, null, null, sums);
  }

  @Override
  public void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] x, double[] y,
      double[] v, LossSums sums) {
    model.accumulateAlong(block, arithmetic, y, v, null, null, sums);
  }
}
