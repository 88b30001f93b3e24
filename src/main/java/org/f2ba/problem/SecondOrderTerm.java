package org.f2ba.problem;

/** A sample-free term that also gives the derivatives of its gradients along a direction in y. */
public interface SecondOrderTerm extends SmoothTerm {
  /**
   * Returns ⟨∇y term(x, y), v⟩ and adds ∇²xy term · v into {@code gradX} and ∇²yy term · v into
   * {@code gradY}, each skipped when null: the derivative of {@link #evaluate} along (0, v).
   */
  double evaluateAlong(double[] x, double[] y, double[] v, double[] gradX, double[] gradY);
}
