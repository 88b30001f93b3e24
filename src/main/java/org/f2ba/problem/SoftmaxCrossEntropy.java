package org.f2ba.problem;

import dev.ludovic.netlib.blas.BLAS;
import org.f2ba.data.DataBlock;

/**
 * Multinomial logistic regression over a block, with BLAS, at several models at once. Each model
 * is a column-major matrix W of width × numClasses (width = features + bias); the logits of a
 * block at all k models are S = [W₁ … W_k]ᵀ A (k·numClasses × rows), one matrix product, and the
 * gradients of Σ wᵢ ℓᵢ in all of them are A Rᵀ with R = (softmax(S) − onehot) · diag(w), another.
 */
final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {
  }

  /**
   * For every model k: adds Σᵢ wᵢ ℓᵢ to {@code sums[k].value}, its gradient to
   * {@code sums[k].gradY} when asked, the number of correct predictions to
   * {@code sums[k].statistics[0]} and the row count. Each unweighted loss ℓᵢ at model k goes
   * into {@code rowLoss[k · rows + i]} when {@code rowLoss} is not null. Null {@code weights}
   * means 1.
   */
  static void accumulate(DataBlock block, int numClasses, double[][] models, double[] weights,
      double[] rowLoss, LossSums[] sums) {
    int m = block.rows();
    int width = block.width();
    int k = models.length;
    int cols = k * numClasses;
    Workspace work = Workspace.get();
    double[] a = work.data(m * width);
    block.copyValuesTo(a);
    double[] w = work.models(width * cols);
    for (int p = 0; p < k; p++) {
      System.arraycopy(models[p], 0, w, p * width * numClasses, width * numClasses);
    }
    double[] scores = work.scores(cols * m);
    BLAS blas = BLAS.getInstance();
    blas.dgemm("T", "N", cols, m, width, 1.0, w, width, a, width, 0.0, scores, cols);
    int[] labels = block.labels();
    boolean anyGradient = false;
    for (int p = 0; p < k; p++) {
      double value = 0;
      long correct = 0;
      for (int i = 0; i < m; i++) {
        int off = i * cols + p * numClasses;
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
          rowLoss[p * m + i] = loss;
        }
        if (argmax == labels[i]) {
          correct++;
        }
        // The scores become the residual R = w (softmax − onehot); zero where no gradient is due.
        double scale = sums[p].gradY == null ? 0 : weight / sumExp;
        for (int c = 0; c < numClasses; c++) {
          scores[off + c] *= scale;
        }
        if (sums[p].gradY != null) {
          scores[off + labels[i]] -= weight;
        }
      }
      sums[p].value += value;
      sums[p].count += m;
      sums[p].statistics[0] += correct;
      anyGradient |= sums[p].gradY != null;
    }
    if (anyGradient) {
      double[] grad = work.gradient(width * cols);
      blas.dgemm("N", "T", width, cols, m, 1.0, a, width, scores, cols, 0.0, grad, width);
      for (int p = 0; p < k; p++) {
        double[] target = sums[p].gradY;
        if (target != null) {
          int off = p * width * numClasses;
          for (int j = 0; j < target.length; j++) {
            target[j] += grad[off + j];
          }
        }
      }
    }
  }
}
