package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * Data hyper-cleaning's training loss: sample i's cross-entropy weighted by s(xᵢ), with s the
 * logistic function that squashes its weight into [0, 1]; x holds one entry per training sample.
 * ∂/∂xᵢ = s(xᵢ)(1 − s(xᵢ)) ℓᵢ(y). Statistic 0 counts correct predictions.
 */
public final class WeightedCrossEntropyLoss implements SampleLoss {
  private static final long serialVersionUID = 1L;
  private final int numClasses;

  public WeightedCrossEntropyLoss(int numClasses) {
    this.numClasses = numClasses;
  }

  /** The weight s(v) = 1 / (1 + e^(−v)) of a sample whose hyperparameter is v. */
  public static double weight(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  @Override
  public int numStatistics() {
    return 1;
  }

  @Override
  public void accumulate(DataBlock block, double[] x, double[][] ys, LossSums[] sums) {
    int m = block.rows();
    int[] index = block.index();
    Workspace work = Workspace.get();
    double[] weights = work.rowWeights(m);
    for (int i = 0; i < m; i++) {
      weights[i] = weight(x[index[i]]);
    }
    boolean anyGradX = false;
    for (LossSums s : sums) {
      anyGradX |= s.gradX != null;
    }
    double[] rowLoss = anyGradX ? work.rowLosses(ys.length * m) : null;
    SoftmaxCrossEntropy.accumulate(block, numClasses, ys, weights, rowLoss, sums);
    for (int p = 0; p < ys.length; p++) {
      if (sums[p].gradX != null) {
        for (int i = 0; i < m; i++) {
          sums[p].gradX[index[i]] += weights[i] * (1 - weights[i]) * rowLoss[p * m + i];
        }
      }
    }
  }
}
