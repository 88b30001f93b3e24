package org.f2ba.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** CG on a definite system, and on an indefinite one: thrown at, or truncated. */
class ConjugateGradientTest {
  /** v ↦ diag(d) v. */
  private static UnaryOperator<double[]> diagonal(double... d) {
    return v -> {
      double[] out = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = d[i] * v[i];
      }
      return out;
    };
  }

  @Test
  void solvesADefiniteSystem() {
    double[] w = new double[2];
    ConjugateGradient.Outcome outcome = ConjugateGradient.solve(diagonal(2, 4), new double[] {
        1, 1}, w, 1e-12, 10);
    assertArrayEquals(new double[] {0.5, 0.25}, w, 1e-12);
    assertEquals(2, outcome.products());
    assertFalse(outcome.truncated());
  }

  @Test
  void anIndefiniteSystemThrowsOrTruncates() {
    UnaryOperator<double[]> indefinite = diagonal(1, -3);
    double[] b = {0, 1}; // the first direction is b itself, of curvature -3
    assertThrows(IllegalStateException.class,
        () -> ConjugateGradient.solve(indefinite, b, new double[2], 1e-12, 10));
    double[] w = new double[2];
    ConjugateGradient.Outcome outcome = ConjugateGradient.truncated(indefinite, b, w, 1e-12,
        10);
    assertTrue(outcome.truncated());
    assertArrayEquals(new double[2], w);
    assertEquals(1, outcome.residual(), 1e-15);
  }
}
