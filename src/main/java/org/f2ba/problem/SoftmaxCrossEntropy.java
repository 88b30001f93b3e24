package org.f2ba.problem;

import dev.ludovic.netlib.blas.BLAS;
import org.f2ba.data.DataBlock;

/**
 * Multinomial logistic regression over a block, with BLAS. The model y is the column-major
 * matrix W of width × numClasses (width = features + bias); the logits of a block are
 * S = Wᵀ A (numClasses × rows), and the gradient of Σ wᵢ ℓᵢ in W is A Rᵀ with
 * R = (softmax(S) − onehot) · diag(w).
 */
final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {
  }

  /**
   * Adds Σᵢ wᵢ ℓᵢ to {@code sums.value}, its gradient to {@code sums.gradY} when asked, the
   * number of correct predictions to {@code sums.statistics[0]} and the row count. Each
   * unweighted loss ℓᵢ goes into {@code rowLoss} when not null. Null {@code weights} means 1.
   */
  static void accumulate(DataBlock block, int numClasses, double[] w, double[] weights,
      double[] rowLoss, LossSums sums) {
    int m = block.rows();
    int width = block.width();
    double[] a = block.values();
    double[] scores = new double[numClasses * m];
    BLAS blas = BLAS.getInstance();
    blas.dgemm("T", "N", numClasses, m, width, 1.0, w, width, a, width, 0.0, scores, numClasses);
    int[] labels = block.labels();
    double value = 0;
    long correct = 0;
    for (int i = 0; i < m; i++) {
      int off = i * numClasses;
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int c = 0; c < numClasses; c++) {
        if (scores[off + c] > max) {
          max = scores[off + c];
          argmax = c;
        }
      }
      double labelScore = scores[off + labels[i]];
      double sumExp = 0;
      for (int c = 0; c < numClasses; c++) {
        double e = Math.exp(scores[off + c] - max);
        scores[off + c] = e;
        sumExp += e;
      }
      double loss = Math.log(sumExp) + max - labelScore;
      double weight = weights == null ? 1.0 : weights[i];
      value += weight * loss;
      if (rowLoss != null) {
        rowLoss[i] = loss;
      }
      if (argmax == labels[i]) {
        correct++;
      }
      // Reuse the scores as the residual R = w (softmax - onehot).
      for (int c = 0; c < numClasses; c++) {
        scores[off + c] = weight * scores[off + c] / sumExp;
      }
      scores[off + labels[i]] -= weight;
    }
    if (sums.gradY != null) {
      blas.dgemm("N", "T", width, numClasses, m, 1.0, a, width, scores, numClasses, 1.0,
          sums.gradY, width);
    }
    sums.value += value;
    sums.count += m;
    sums.statistics[0] += correct;
  }
}
