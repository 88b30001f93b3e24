package org.f2ba.engine;

import java.io.Serializable;

/**
 * One loss sum that an evaluation computes: the loss of {@code role} (G for LOWER, F otherwise)
 * at the point {@code point} of the evaluation, with the gradients asked for, over the current
 * mini-batch of that role, or over all its samples when {@code fullData} is set. All requests of
 * one role in one evaluation see the same samples.
 *
 * <p>With a {@code direction} d ≥ 0 the request asks instead for the derivative of those sums
 * along the point v = points[d] in y: ⟨∇y, v⟩ as the value, ∇²xy·v in place of the gradient in
 * x and ∇²yy·v in place of the gradient in y. The role's loss must then be a
 * {@link org.f2ba.problem.SecondOrderLoss}.
 */
public record LossRequest(DataRole role, int point, boolean gradX, boolean gradY,
    boolean fullData, int direction) implements Serializable {

  /** A request for the loss and its gradients, without a direction. */
  public LossRequest(DataRole role, int point, boolean gradX, boolean gradY, boolean fullData) {
    this(role, point, gradX, gradY, fullData, -1);
  }

  /** Whether this request asks for derivatives along a direction. */
  public boolean alongDirection() {
    return direction >= 0;
  }
}
