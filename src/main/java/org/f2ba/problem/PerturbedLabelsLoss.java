package org.f2ba.problem;

import java.util.Arrays;
import org.f2ba.data.DataBlock;

/**
 * The loss of adversarial training by least squares (Example 5.4 of the companion paper): a
 * linear model x (bias included) predicts labels y that an adversary moved from the data's
 * labels b, y holding one entry per sample of the dataset. Sample i's loss is
 * ½ wᵢ [(aᵢ·x − yᵢ)² + λ (yᵢ − bᵢ)²]: the upper level takes w = 1 and λ = 0, the lower level
 * the weights of the diagonal of M. With rᵢ = aᵢ·x − yᵢ: ∇x = wᵢ rᵢ aᵢ, ∂/∂yᵢ =
 * wᵢ (λ (yᵢ − bᵢ) − rᵢ), ∇²yy = diag(wᵢ (1 + λ)) and ∇²xy·v = −Σ wᵢ vᵢ aᵢ. A·x is one
 * matrix-vector product per block, shared by every point y, and the gradients in x of all
 * points one product Aᵀ R.
 */
public final class PerturbedLabelsLoss implements SecondOrderLoss {
  private static final long serialVersionUID = 1L;

  private final double[] weights;
  private final double lambda;

  /**
   * @param weights wᵢ of each sample of the dataset (its row number), or null for all 1
   * @param lambda λ ≥ 0, the price of moving a label
   */
  public PerturbedLabelsLoss(double[] weights, double lambda) {
    this.weights = weights;
    this.lambda = lambda;
  }

  @Override
  public int numStatistics() {
    return 0;
  }

  @Override
  public void accumulate(DataBlock block, Arithmetic arithmetic, double[] x, double[][] ys,
      LossSums[] sums) {
    int k = ys.length;
    int width = block.width();
    int[] index = block.index();
    float[] labels = block.labels();
    boolean wantGradX = LossSums.anyGradX(sums);
    Workspace work = Workspace.get();
    double[] gradX = work.gradient(width * k);
    Arrays.fill(gradX, 0, width * k, 0);
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, x, 1, (from, rows, predictions) -> {
      double[] residuals = work.rowLosses(rows * k);
      for (int r = 0; r < rows; r++) {
        int i = from + r;
        int sample = index[i];
        double w = weight(sample);
        for (int p = 0; p < k; p++) {
          double y = ys[p][sample];
          double residual = predictions[r] - y;
          double shift = y - labels[i];
          sums[p].value += 0.5 * w * (residual * residual + lambda * shift * shift);
          if (sums[p].gradY != null) {
            sums[p].gradY[sample] += w * (lambda * shift - residual);
          }
          residuals[r * k + p] = w * residual;
        }
      }
      if (wantGradX) {
        products.addProduct(residuals, k, k, gradX);
      }
    });
    for (int p = 0; p < k; p++) {
      sums[p].count += block.rows();
      if (sums[p].gradX != null) {
        for (int j = 0; j < width; j++) {
          sums[p].gradX[j] += gradX[p * width + j];
        }
      }
    }
  }

  @Override
  public void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] x, double[] y,
      double[] v, LossSums sums) {
    int width = block.width();
    int[] index = block.index();
    float[] labels = block.labels();
    Workspace work = Workspace.get();
    double[] gradX = work.gradient(width);
    Arrays.fill(gradX, 0, width, 0);
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, x, 1, (from, rows, predictions) -> {
      double[] mixed = work.rowLosses(rows);
      for (int r = 0; r < rows; r++) {
        int i = from + r;
        int sample = index[i];
        double w = weight(sample);
        double residual = predictions[r] - y[sample];
        sums.value += w * (lambda * (y[sample] - labels[i]) - residual) * v[sample];
        if (sums.gradY != null) {
          sums.gradY[sample] += w * (1 + lambda) * v[sample];
        }
        mixed[r] = -w * v[sample];
      }
      if (sums.gradX != null) {
        products.addProduct(mixed, 1, 1, gradX);
      }
    });
    sums.count += block.rows();
    if (sums.gradX != null) {
      for (int j = 0; j < width; j++) {
        sums.gradX[j] += gradX[j];
      }
    }
  }

  private double weight(int sample) {
    return weights == null ? 1.0 : weights[sample];
  }
}
