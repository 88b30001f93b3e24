package org.f2ba.problem;

import java.io.Serializable;
import org.f2ba.data.DataBlock;

/**
 * The model y of a classification loss: how it maps a block's rows to logits, whose softmax
 * cross-entropy ({@link SoftmaxCrossEntropy}) it sums with its gradients in y and, for the
 * exact hyper-gradients and the solvers that use them, its second-order products.
 */
public interface Classifier extends Serializable {
  /** Multinomial logistic regression: y is a width × numClasses matrix. */
  static Classifier linear(int numClasses) {
    return new LinearClassifier(numClasses);
  }

  /** The number of classes, the logits of a row. */
  int numClasses();

  /** The number of entries of y for blocks of {@code width} columns (features and bias). */
  int dimY(int width);

  /**
   * For every model p: adds Σᵢ wᵢ ℓᵢ to {@code sums[p].value}, its gradient to
   * {@code sums[p].gradY} when asked, the number of correct predictions to
   * {@code sums[p].statistics[0]} and the row count. Each unweighted loss ℓᵢ at model p goes
   * into {@code rowLoss[p · rows + i]} when {@code rowLoss} is not null. Null {@code weights}
   * means 1.
   */
  void accumulate(DataBlock block, Arithmetic arithmetic, double[][] models, double[] weights,
      double[] rowLoss, LossSums[] sums);

  /**
   * The derivative along v of {@link #accumulate} at the model y: adds Σᵢ wᵢ dᵢ to the value
   * (dᵢ the rate of change of row i's loss), ∇²yy·v of Σ wᵢ ℓᵢ to {@code sums.gradY} when
   * asked, and the row count; each dᵢ goes into {@code rowDerivative[i]} when that is not null.
   */
  void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] y, double[] v,
      double[] weights, double[] rowDerivative, LossSums sums);
}
