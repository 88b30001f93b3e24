package org.f2ba.problem;

import java.io.Serializable;
import org.f2ba.data.DataBlock;

/**
 * A per-sample loss, F(x, y; ξ) or G(x, y; ζ), evaluated over a whole block of samples at once.
 * Implementations hold only the mathematics; where the blocks live is the engine's business.
 */
public interface SampleLoss extends Serializable {
  /** How a loss depends on x, which says which entries of x the engine hands it. */
  enum XDependence {
    /** Not at all: the loss reads no x and adds nothing to the gradients in x. */
    NONE,
    /** On the whole of x, shared by every sample. */
    WHOLE,
    /**
     * On one entry of x per sample of its dataset, x[i] for the sample i of
     * {@link DataBlock#index()}: the engine hands the loss only the entries of the samples it
     * evaluates, from {@link LossSums#xFrom()} on, where the gradients in x start too.
     */
    PER_SAMPLE
  }

  /** How this loss depends on x (the whole of it unless the loss says otherwise). */
  default XDependence xDependence() {
    return XDependence.WHOLE;
  }

  /** How many statistics beyond the value {@link #accumulate} adds (e.g. correct predictions). */
  int numStatistics();

  /**
   * For each point k, adds to {@code sums[k]} the sum over the block's rows of the loss at
   * (x, ys[k]), its gradients in x and y where {@code sums[k]} asks for them, and the row count
   * and statistics. Taking all points of the same samples at once lets an implementation share
   * the pass over the data (one matrix product for all of them). Matrix products run as
   * {@code arithmetic} says. Where the loss depends on x per sample, x holds the entries from
   * {@code sums[k].xFrom()} on, the same for every k.
   */
  void accumulate(DataBlock block, Arithmetic arithmetic, double[] x, double[][] ys,
      LossSums[] sums);
}
