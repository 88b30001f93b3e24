package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * Data hyper-cleaning's training loss: sample i's cross-entropy weighted by s(xᵢ), with s the
 * logistic function that squashes its weight into [0, 1]; x holds one entry per training sample.
 * ∂/∂xᵢ = s(xᵢ)(1 − s(xᵢ)) ℓᵢ(y), and along a direction v in y, ∂/∂xᵢ ⟨∇y, v⟩ =
 * s(xᵢ)(1 − s(xᵢ)) ⟨∇ℓᵢ(y), v⟩. Statistic 0 counts correct predictions.
 */
public final class WeightedCrossEntropyLoss implements SecondOrderLoss {
  private static final long serialVersionUID = 1L;
  private final Classifier model;

  /** Over the linear model of {@code numClasses} classes (multinomial logistic regression). */
  public WeightedCrossEntropyLoss(int numClasses) {
    this(Classifier.linear(numClasses));
  }

  /** Over the classifier {@code model}. */
  public WeightedCrossEntropyLoss(Classifier model) {
    this.model = model;
  }

  /** The weight s(v) = 1 / (1 + e^(−v)) of a sample whose hyperparameter is v. */
  public static double weight(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  @Override
  public XDependence xDependence() {
    return XDependence.PER_SAMPLE;
  }

  @Override
  public int numStatistics() {
    return 1;
  }

  @Override
  public void accumulate(DataBlock block, Arithmetic arithmetic, double[] x, double[][] ys,
      LossSums[] sums) {
    int m = block.rows();
    double[] weights = weights(block, x, sums[0].xFrom());
    Workspace work = Workspace.get();
    double[] rowLoss = LossSums.anyGradX(sums) ? work.rowLosses(ys.length * m) : null;
    model.accumulate(block, arithmetic, ys, weights, rowLoss, sums);
    for (int p = 0; p < ys.length; p++) {
      if (sums[p].gradX != null) {
        addWeightDerivatives(block, weights, rowLoss, p * m, sums[p]);
      }
    }
  }

  @Override
  public void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] x, double[] y,
      double[] v, LossSums sums) {
    double[] weights = weights(block, x, sums.xFrom());
    double[] rowDerivative = sums.gradX == null ? null
        : Workspace.get().rowLosses(block.rows());
    model.accumulateAlong(block, arithmetic, y, v, weights, rowDerivative, sums);
    if (sums.gradX != null) {
      addWeightDerivatives(block, weights, rowDerivative, 0, sums);
    }
  }

  /** The weight of every row of the block, x holding the entries from sample xFrom on. */
  private static double[] weights(DataBlock block, double[] x, int xFrom) {
    int[] index = block.index();
    double[] weights = Workspace.get().rowWeights(block.rows());
    for (int i = 0; i < block.rows(); i++) {
      weights[i] = weight(x[index[i] - xFrom]);
    }
    return weights;
  }

  /** Adds s'(xᵢ) · rowValues[from + i] to the gradient in x at each row's sample index. */
  private static void addWeightDerivatives(DataBlock block, double[] weights,
      double[] rowValues, int from, LossSums sums) {
    int[] index = block.index();
    double[] target = sums.gradX;
    int xFrom = sums.xFrom();
    for (int i = 0; i < block.rows(); i++) {
      target[index[i] - xFrom] += weights[i] * (1 - weights[i]) * rowValues[from + i];
    }
  }
}
