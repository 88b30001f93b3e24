package org.f2ba.engine;

import java.io.Serializable;
import java.util.Locale;

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
 *
 * <p>Built by named steps: {@code LossRequest.lower(0).withGradY()}, {@code
 * LossRequest.lower(0).along(1).withGradX().withGradY()}.
 */
public record LossRequest(DataRole role, int point, boolean gradX, boolean gradY,
    boolean fullData, int direction) implements Serializable {

  /** The loss of {@code role} at points[point], on the role's mini-batch, value only. */
  public static LossRequest of(DataRole role, int point) {
    return new LossRequest(role, point, false, false, false, -1);
  }

  /** The lower-level loss G at points[point]. */
  public static LossRequest lower(int point) {
    return of(DataRole.LOWER, point);
  }

  /** The upper-level loss F at points[point]. */
  public static LossRequest upper(int point) {
    return of(DataRole.UPPER, point);
  }

  /** This request with the gradient (or the mixed product) in x. */
  public LossRequest withGradX() {
    return new LossRequest(role, point, true, gradY, fullData, direction);
  }

  /** This request with the gradient (or the Hessian-vector product) in y. */
  public LossRequest withGradY() {
    return new LossRequest(role, point, gradX, true, fullData, direction);
  }

  /** This request over all the role's samples instead of its mini-batch. */
  public LossRequest overAllSamples() {
    return new LossRequest(role, point, gradX, gradY, true, direction);
  }

  /** This request's derivatives along points[direction] instead. */
  public LossRequest along(int directionPoint) {
    return new LossRequest(role, point, gradX, gradY, fullData, directionPoint);
  }

  /** In a few words, e.g. "lower ∇y at 0 (batch)" or "upper ∇x ∇y at 1 along 2 (all rows)". */
  public String describe() {
    return role.name().toLowerCase(Locale.ROOT) + (gradX ? " ∇x" : "")
        + (gradY ? " ∇y" : "") + " at " + point + (hasDirection() ? " along " + direction : "")
        + (fullData ? " (all rows)" : " (batch)");
  }

  /** Whether this request asks for derivatives along a direction. */
  public boolean hasDirection() {
    return direction >= 0;
  }
}
