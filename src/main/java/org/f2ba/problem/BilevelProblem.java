package org.f2ba.problem;

import java.io.Serializable;

/**
 * A bilevel problem min_x f(x, y*(x)), y*(x) ∈ argmin_{y ∈ Y} g(x, y), with
 * f(x, y) = mean over upper-level samples of F(x, y; ξ) + upperTerm(x, y) and
 * g(x, y) = mean over lower-level samples of G(x, y; ζ) + lowerTerm(x, y).
 * A sample loss is null where its level has no data part, a term null where it has none; Y is
 * all of R^dimY, or the box {@code yDomain} where that is given.
 */
public record BilevelProblem(int dimX, int dimY, SampleLoss upperLoss, SampleLoss lowerLoss,
    SmoothTerm upperTerm, SmoothTerm lowerTerm, Box yDomain) implements Serializable {

  /** An unconstrained problem. */
  public BilevelProblem(int dimX, int dimY, SampleLoss upperLoss, SampleLoss lowerLoss,
      SmoothTerm upperTerm, SmoothTerm lowerTerm) {
    this(dimX, dimY, upperLoss, lowerLoss, upperTerm, lowerTerm, null);
  }

  /** The box [lower, upper] in every coordinate. */
  public record Box(double lower, double upper) implements Serializable {
    /** Projects v onto the box, in place. */
    public void project(double[] v) {
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.min(upper, Math.max(lower, v[i]));
      }
    }
  }
}
