package org.f2ba.problem;

/**
 * The multinomial cross-entropy of logits, a chunk of rows at a time, whatever model made them:
 * the loss, correct predictions and residuals R = w (softmax − onehot) that every
 * {@link Classifier} turns into gradients, and their derivatives along a direction.
 */
final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {
  }

  /**
   * The softmax cross-entropy of a chunk of rows [from, from + rows) of a block of m rows, at
   * the k = sums.length models whose logits it holds ({@code scores}, rows × k·numClasses,
   * row-major, model p's from column p·numClasses): adds Σᵢ wᵢ ℓᵢ and the correct predictions
   * of model p to {@code sums[p]} and each ℓᵢ to {@code rowLoss[p · m + from + r]} (where not
   * null), and turns the logits into the residuals R = w (softmax − onehot) whose products give
   * the gradients (zero for a model whose sums ask no gradient in y). Null {@code weights}
   * means 1.
   */
  static void residuals(double[] scores, int rows, int from, int m, float[] labels,
      int numClasses, double[] weights, double[] rowLoss, LossSums[] sums) {
    int cols = sums.length * numClasses;
    for (int p = 0; p < sums.length; p++) {
      double value = 0;
      long correct = 0;
      for (int r = 0; r < rows; r++) {
        int i = from + r;
        int label = (int) labels[i];
        int off = r * cols + p * numClasses;
        double max = max(scores, off, numClasses);
        double labelScore = scores[off + label];
        boolean predicted = labelScore == max && firstAt(scores, off, label, max);
        double sumExp = exponentiate(scores, off, numClasses, max);
        double loss = Math.log(sumExp) + max - labelScore;
        double weight = weights == null ? 1.0 : weights[i];
        value += weight * loss;
        if (rowLoss != null) {
          rowLoss[p * m + i] = loss;
        }
        if (predicted) {
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
  }

  /**
   * The derivative of {@link #residuals} along a direction, over a chunk of rows [from,
   * from + rows): {@code scores} holds, row after row, the logits s and their derivative u
   * along the direction (rows × 2·numClasses). With p = softmax(s), row i's loss changes at the
   * rate dᵢ = ⟨p − onehot, u⟩ and its residual at the rate T = w (p ⊙ u − p ⟨p, u⟩), which
   * replaces s; dᵢ goes into {@code rowDerivative[from + r]} and the residual
   * R = w (p − onehot) into {@code residuals} (rows × numClasses), each where not null.
   * Returns Σᵢ wᵢ dᵢ. Null {@code weights} means 1.
   */
  static double derivatives(double[] scores, int rows, int from, float[] labels,
      int numClasses, double[] weights, double[] rowDerivative, double[] residuals) {
    int cols = 2 * numClasses;
    double value = 0;
    for (int r = 0; r < rows; r++) {
      int i = from + r;
      int off = r * cols;
      int dir = off + numClasses;
      int label = (int) labels[i];
      double sumExp = exponentiate(scores, off, numClasses, max(scores, off, numClasses));
      double pu = 0;
      for (int c = 0; c < numClasses; c++) {
        scores[off + c] /= sumExp;
        pu += scores[off + c] * scores[dir + c];
      }
      double derivative = pu - scores[dir + label];
      double weight = weights == null ? 1.0 : weights[i];
      value += weight * derivative;
      if (rowDerivative != null) {
        rowDerivative[i] = derivative;
      }
      if (residuals != null) {
        for (int c = 0; c < numClasses; c++) {
          residuals[r * numClasses + c] = weight * scores[off + c];
        }
        residuals[r * numClasses + label] -= weight;
      }
      // The logits become T = w (p ⊙ u − p ⟨p, u⟩), whose product with A is ∇²yy·v.
      for (int c = 0; c < numClasses; c++) {
        scores[off + c] *= weight * (scores[dir + c] - pu);
      }
    }
    return value;
  }

  /** The largest of the logits at [off, off + numClasses). */
  private static double max(double[] scores, int off, int numClasses) {
    double max = scores[off];
    for (int c = 1; c < numClasses; c++) {
      max = Math.max(max, scores[off + c]);
    }
    return max;
  }

  /**
   * Whether no logit before class {@code label} reaches {@code max}: a prediction is the first
   * class of the largest logit.
   */
  private static boolean firstAt(double[] scores, int off, int label, double max) {
    for (int c = 0; c < label; c++) {
      if (scores[off + c] == max) {
        return false;
      }
    }
    return true;
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
