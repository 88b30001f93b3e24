package org.f2ba.problem;

import java.io.Serializable;

/**
 * A bilevel problem min_x f(x, y*(x)), y*(x) ∈ argmin_y g(x, y), with
 * f(x, y) = mean over upper-level samples of F(x, y; ξ) + upperTerm(x, y) and
 * g(x, y) = mean over lower-level samples of G(x, y; ζ) + lowerTerm(x, y).
 * A sample loss is null where its level has no data part, a term null where it has none.
 */
public record BilevelProblem(int dimX, int dimY, SampleLoss upperLoss, SampleLoss lowerLoss,
    SmoothTerm upperTerm, SmoothTerm lowerTerm) implements Serializable {
}
