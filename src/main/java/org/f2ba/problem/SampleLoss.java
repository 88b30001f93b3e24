package org.f2ba.problem;

import java.io.Serializable;
import org.f2ba.data.DataBlock;

/**
 * A per-sample loss, F(x, y; ξ) or G(x, y; ζ), evaluated over a whole block of samples at once.
 * Implementations hold only the mathematics; where the blocks live is the engine's business.
 */
public interface SampleLoss extends Serializable {
  /** How many statistics beyond the value {@link #accumulate} adds (e.g. correct predictions). */
  int numStatistics();

  /**
   * For each point k, adds to {@code sums[k]} the sum over the block's rows of the loss at
   * (x, ys[k]), its gradients in x and y where {@code sums[k]} asks for them, and the row count
   * and statistics. Taking all points of the same samples at once lets an implementation share
   * the pass over the data (one matrix product for all of them). Matrix products run as
   * {@code arithmetic} says.
   */
  void accumulate(DataBlock block, Arithmetic arithmetic, double[] x, double[][] ys,
      LossSums[] sums);
}
