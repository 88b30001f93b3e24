package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * Multinomial cross-entropy of the linear model y, independent of x: the validation loss of the
 * upper level, and the training loss of regularization tuning. Statistic 0 counts correct
 * predictions.
 */
public final class CrossEntropyLoss implements SecondOrderLoss {
  private static final long serialVersionUID = 1L;
  private final int numClasses;

  public CrossEntropyLoss(int numClasses) {
    this.numClasses = numClasses;
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
    SoftmaxCrossEntropy.accumulate(block, arithmetic, numClasses, ys, null, null, sums);
  }

  @Override
  public void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] x, double[] y,
      double[] v, LossSums sums) {
    SoftmaxCrossEntropy.accumulateAlong(block, arithmetic, numClasses, y, v, null, null, sums);
  }
}
