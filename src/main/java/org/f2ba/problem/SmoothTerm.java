package org.f2ba.problem;

import java.io.Serializable;

/** A sample-free term of f or g, such as a regularizer, evaluated on the driver. */
public interface SmoothTerm extends Serializable {
  /**
   * Returns the term's value at (x, y) and adds its gradients into {@code gradX} and
   * {@code gradY}, each skipped when null.
   */
  double evaluate(double[] x, double[] y, double[] gradX, double[] gradY);

  /** Whether the term reads x (where not, it takes a null x). */
  default boolean readsX() {
    return true;
  }
}
