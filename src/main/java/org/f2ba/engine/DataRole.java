package org.f2ba.engine;

/** The datasets of a bilevel task. */
public enum DataRole {
  /** The samples ξ of the upper-level loss F (e.g. validation). */
  UPPER,
  /** The samples ζ of the lower-level loss G (e.g. training). */
  LOWER,
  /** Held-out samples, only evaluated (with the upper-level loss), never trained on. */
  TEST
}
