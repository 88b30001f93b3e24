package org.f2ba.solver;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Conjugate gradient for A w = b with A symmetric positive definite, given only the product
 * v ↦ A v (for bilevel solvers, Hessian-vector products ∇²yy g·v): shared by AID and the exact
 * hyper-gradient diagnostics.
 */
public final class ConjugateGradient {
  /**
   * The relative residual ‖A w − b‖ / ‖b‖ reached, the products spent, and whether a
   * truncated solve stopped at a direction of non-positive curvature.
   */
  public record Outcome(double residual, int products, boolean truncated) {
  }

  private ConjugateGradient() {
  }

  /**
   * Solves A w = b from the w given (updated in place; a non-zero w costs one product more)
   * until the residual is at most relativeTolerance · ‖b‖ or {@code maxProducts} products are
   * spent. Throws {@link IllegalStateException} where A has no positive curvature along a
   * search direction.
   */
  public static Outcome solve(UnaryOperator<double[]> product, double[] b, double[] w,
      double relativeTolerance, int maxProducts) {
    return solve(product, b, w, relativeTolerance, maxProducts, false);
  }

  /**
   * As {@link #solve}, but where A has no positive curvature along a search direction (an
   * indefinite Hessian, as a network's lower level has) it stops there and keeps the w reached
   * so far, as truncated Newton-CG does, instead of throwing: what a solver can go on with.
   */
  public static Outcome truncated(UnaryOperator<double[]> product, double[] b, double[] w,
      double relativeTolerance, int maxProducts) {
    return solve(product, b, w, relativeTolerance, maxProducts, true);
  }

  private static Outcome solve(UnaryOperator<double[]> product, double[] b, double[] w,
      double relativeTolerance, int maxProducts, boolean truncate) {
    double bNorm = Vectors.norm(b);
    if (bNorm == 0) {
      Arrays.fill(w, 0);
      return new Outcome(0, 0, false);
    }
    int products = 0;
    double[] r = b.clone();
    if (Vectors.norm(w) > 0) {
      Vectors.descend(r, 1, product.apply(w));
      products++;
    }
    double[] p = r.clone();
    double rr = Vectors.dot(r, r);
    while (Math.sqrt(rr) > relativeTolerance * bNorm && products < maxProducts) {
      double[] hp = product.apply(p);
      products++;
      double curvature = Vectors.dot(p, hp);
      if (!(curvature > 0) && truncate) {
        return new Outcome(Math.sqrt(rr) / bNorm, products, true);
      }
      if (!(curvature > 0)) {
        throw new IllegalStateException("the lower-level Hessian is not positive definite"
            + " (curvature " + curvature + " along a CG direction): the lower level is not"
            + " strongly convex at this x");
      }
      double alpha = rr / curvature;
      Vectors.descend(w, -alpha, p);
      Vectors.descend(r, alpha, hp);
      double next = Vectors.dot(r, r);
      double beta = next / rr;
      rr = next;
      for (int i = 0; i < p.length; i++) {
        p[i] = r[i] + beta * p[i];
      }
    }
    return new Outcome(Math.sqrt(rr) / bNorm, products, false);
  }
}
