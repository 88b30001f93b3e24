package org.f2ba.problem;

import org.f2ba.data.DataBlock;

/**
 * A per-sample loss that also gives the derivatives of its sums along a direction v in y: what
 * exact hyper-gradients need (Hessian-vector products ∇²yy·v and mixed products ∇²xy·v).
 */
public interface SecondOrderLoss extends SampleLoss {
  /**
   * Adds to {@code sums} the derivative at ε = 0 of what {@link #accumulate} adds at
   * (x, y + εv): ⟨∇y, v⟩ to the value, ∇²xy·v to {@code gradX} and ∇²yy·v to {@code gradY}
   * where asked for, and the row count. Statistics stay zero.
   */
  void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] x, double[] y,
      double[] v, LossSums sums);
}
