package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * A per-sample term ⟨ζ_x, x⟩ + ⟨ζ_y, y⟩ whose sample vectors ζ = (ζ_x, ζ_y) are the features of
 * the block (its bias column unused). Over a dataset whose ζ average to zero it adds nothing to
 * the mean, while a mini-batch gradient gets the batch's mean ζ as noise: the stochastic
 * settings of Assumption 4.2 with exactly known f and g.
 */
public final class LinearNoiseLoss implements SampleLoss {
  private static final long serialVersionUID = 1L;

  @Override
  public int numStatistics() {
    return 0;
  }

  @Override
  public void accumulate(DataBlock block, Arithmetic arithmetic, double[] x, double[][] ys,
      LossSums[] sums) {
    int dx = x.length;
    int width = block.width();
    float[] values = block.values();
    for (int p = 0; p < ys.length; p++) {
      double[] y = ys[p];
      LossSums s = sums[p];
      for (int i = 0; i < block.rows(); i++) {
        int off = i * width;
        double value = 0;
        for (int j = 0; j < dx; j++) {
          value += values[off + j] * x[j];
          if (s.gradX != null) {
            s.gradX[j] += values[off + j];
          }
        }
        for (int k = 0; k < y.length; k++) {
          value += values[off + dx + k] * y[k];
          if (s.gradY != null) {
            s.gradY[k] += values[off + dx + k];
          }
        }
        s.value += value;
      }
      s.count += block.rows();
    }
  }
}
