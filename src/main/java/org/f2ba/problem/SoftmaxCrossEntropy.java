package org.f2ba.problem;

import java.util.Arrays;
import org.f2ba.data.DataBlock;

/**
 * Multinomial logistic regression over a block ({@link BlockProducts}: BLAS on a dense block, a
 * non-zero at a time on a sparse one), at several models at once. Each model
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
   * means 1. The block is taken a chunk of rows at a time, both products in one pass.
   */
  static void accumulate(DataBlock block, Arithmetic arithmetic, int numClasses,
      double[][] models, double[] weights, double[] rowLoss, LossSums[] sums) {
    int m = block.rows();
    int k = models.length;
    int cols = k * numClasses;
    Workspace work = Workspace.get();
    double[] w = sideBySide(block.width() * numClasses, models, work);
    boolean anyGradient = false;
    for (LossSums s : sums) {
      anyGradient |= s.gradY != null;
    }
    double[] grad = anyGradient ? zeroed(work.gradient(block.width() * cols),
        block.width() * cols) : null;
    float[] labels = block.labels();
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, w, cols, (from, rows, scores) -> {
      for (int p = 0; p < k; p++) {
        double value = 0;
        long correct = 0;
        for (int r = 0; r < rows; r++) {
          int i = from + r;
          int label = (int) labels[i];
          int off = r * cols + p * numClasses;
          int argmax = argmax(scores, off, numClasses);
          double max = scores[off + argmax];
          double labelScore = scores[off + label];
          double sumExp = exponentiate(scores, off, numClasses, max);
          double loss = Math.log(sumExp) + max - labelScore;
          double weight = weights == null ? 1.0 : weights[i];
          value += weight * loss;
          if (rowLoss != null) {
            rowLoss[p * m + i] = loss;
          }
          if (argmax == label) {
            correct++;
          }
          // The scores become the residual R = w (softmax − onehot); zero where no gradient is
          // due.
          double scale = sums[p].gradY == null ? 0 : weight / sumExp;
          for (int c = 0; c < numClasses; c++) {
            scores[off + c] *= scale;
          }
          if (sums[p].gradY != null) {
            scores[off + label] -= weight;
          }
        }
        sums[p].value += value;
        sums[p].statistics[0] += correct;
      }
      if (grad != null) {
        products.addProduct(scores, cols, cols, grad);
      }
    });
    int size = block.width() * numClasses;
    for (int p = 0; p < k; p++) {
      sums[p].count += m;
      double[] target = sums[p].gradY;
      if (target != null) {
        for (int j = 0; j < size; j++) {
          target[j] += grad[p * size + j];
        }
      }
    }
  }

  /**
   * The derivative along v of {@link #accumulate} at the model y: with logits s = Wᵀa and
   * u = Vᵀa of a row, p = softmax(s), the row's loss changes at the rate dᵢ = ⟨p − onehot, u⟩ and
   * its gradient at the rate a (p ⊙ u − p ⟨p, u⟩)ᵀ. Adds Σᵢ wᵢ dᵢ to the value,
   * Σᵢ wᵢ aᵢ (pᵢ ⊙ uᵢ − pᵢ⟨pᵢ, uᵢ⟩)ᵀ (that is ∇²yy·v) to {@code sums.gradY} when asked, and the
   * row count; each dᵢ goes into {@code rowDerivative[i]} when that is not null.
   */
  static void accumulateAlong(DataBlock block, Arithmetic arithmetic, int numClasses,
      double[] y, double[] v, double[] weights, double[] rowDerivative, LossSums sums) {
    int m = block.rows();
    int cols = 2 * numClasses;
    Workspace work = Workspace.get();
    double[] w = sideBySide(block.width() * numClasses, new double[][] {y, v}, work);
    double[] grad = sums.gradY == null ? null
        : zeroed(work.gradient(block.width() * numClasses), block.width() * numClasses);
    float[] labels = block.labels();
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, w, cols, (from, rows, scores) -> {
      double value = 0;
      for (int r = 0; r < rows; r++) {
        int i = from + r;
        int off = r * cols;
        int dir = off + numClasses;
        double sumExp = exponentiate(scores, off, numClasses,
            scores[off + argmax(scores, off, numClasses)]);
        double pu = 0;
        for (int c = 0; c < numClasses; c++) {
          scores[off + c] /= sumExp;
          pu += scores[off + c] * scores[dir + c];
        }
        double derivative = pu - scores[dir + (int) labels[i]];
        double weight = weights == null ? 1.0 : weights[i];
        value += weight * derivative;
        if (rowDerivative != null) {
          rowDerivative[i] = derivative;
        }
        // The logits become T = w (p ⊙ u − p ⟨p, u⟩), whose product with A is ∇²yy·v.
        for (int c = 0; c < numClasses; c++) {
          scores[off + c] *= weight * (scores[dir + c] - pu);
        }
      }
      sums.value += value;
      if (grad != null) {
        products.addProduct(scores, cols, numClasses, grad);
      }
    });
    sums.count += m;
    if (grad != null) {
      for (int j = 0; j < sums.gradY.length; j++) {
        sums.gradY[j] += grad[j];
      }
    }
  }

  /** The model matrices side by side (width × models.length·numClasses, column-major). */
  private static double[] sideBySide(int size, double[][] models, Workspace work) {
    double[] w = work.models(size * models.length);
    for (int p = 0; p < models.length; p++) {
      System.arraycopy(models[p], 0, w, p * size, size);
    }
    return w;
  }

  private static double[] zeroed(double[] array, int size) {
    Arrays.fill(array, 0, size, 0.0);
    return array;
  }

  private static int argmax(double[] scores, int off, int numClasses) {
    int argmax = 0;
    for (int c = 1; c < numClasses; c++) {
      if (scores[off + c] > scores[off + argmax]) {
        argmax = c;
      }
    }
    return argmax;
  }

  /** Replaces the logits at [off, off + numClasses) by exp(logit − max); returns their sum. */
  private static double exponentiate(double[] scores, int off, int numClasses, double max) {
    double sumExp = 0;
    for (int c = 0; c < numClasses; c++) {
      double e = Math.exp(scores[off + c] - max);
      scores[off + c] = e;
      sumExp += e;
    }
    return sumExp;
  }
}
