package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * Multinomial logistic regression over a block ({@link BlockProducts}: BLAS on a dense block, a
 * non-zero at a time on a sparse one), at several models at once. Each model
 * is a column-major matrix W of width × numClasses (width = features + bias); the logits of a
 * block at all k models are S = [W₁ … W_k]ᵀ A (k·numClasses × rows), one matrix product, and the
 * gradients of Σ wᵢ ℓᵢ in all of them are A Rᵀ with R = (softmax(S) − onehot) · diag(w), another.
 */
record LinearClassifier(int numClasses) implements Classifier {
  @Override
  public int dimY(int width) {
    return width * numClasses;
  }

  /** The block is taken a chunk of rows at a time, both products in one pass. */
  @Override
  public void accumulate(DataBlock block, Arithmetic arithmetic, double[][] models,
      double[] weights, double[] rowLoss, LossSums[] sums) {
    int m = block.rows();
    int k = models.length;
    int cols = k * numClasses;
    Workspace work = Workspace.get();
    double[] w = work.sideBySide(block.width() * numClasses, models);
    double[] grad = LossSums.anyGradY(sums) ? Workspace.zeroed(work.gradient(block.width() * cols),
        block.width() * cols) : null;
    float[] labels = block.labels();
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, w, cols, (from, rows, scores) -> {
      SoftmaxCrossEntropy.residuals(scores, rows, from, m, labels, numClasses, weights,
          rowLoss, sums);
      if (grad != null) {
        products.addProduct(scores, cols, cols, grad);
      }
    });
    int size = block.width() * numClasses;
    for (int p = 0; p < k; p++) {
      sums[p].count += m;
      sums[p].addToGradY(0, grad, p * size, size);
    }
  }

  /**
   * With logits s = Wᵀa and u = Vᵀa of a row and p = softmax(s), the row's gradient changes at
   * the rate a (p ⊙ u − p ⟨p, u⟩)ᵀ: ∇²yy·v = Σᵢ wᵢ aᵢ (pᵢ ⊙ uᵢ − pᵢ⟨pᵢ, uᵢ⟩)ᵀ, one product.
   */
  @Override
  public void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] y, double[] v,
      double[] weights, double[] rowDerivative, LossSums sums) {
    int m = block.rows();
    int cols = 2 * numClasses;
    Workspace work = Workspace.get();
    double[] w = work.sideBySide(block.width() * numClasses, new double[][] {y, v});
    double[] grad = sums.gradY == null ? null
        : Workspace.zeroed(work.gradient(block.width() * numClasses),
            block.width() * numClasses);
    float[] labels = block.labels();
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, w, cols, (from, rows, scores) -> {
      sums.value += SoftmaxCrossEntropy.derivatives(scores, rows, from, labels, numClasses,
          weights, rowDerivative, null);
      if (grad != null) {
        products.addProduct(scores, cols, numClasses, grad);
      }
    });
    sums.count += m;
    sums.addToGradY(0, grad, 0, block.width() * numClasses);
  }
}
