package org.f2ba.solver;

import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LossRequest;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * The true hyper-gradient of a problem whose lower level is strongly convex in y, for
 * diagnostics. By the implicit function theorem (Eq. 4),
 * ∇φ(x) = ∇x f(x, y*) − ∇²xy g(x, y*) [∇²yy g(x, y*)]⁻¹ ∇y f(x, y*) at the unique y* = y*(x).
 * y* is found by Newton's method whose steps are solved by conjugate gradient (CG), and the
 * linear system ∇²yy g w = ∇y f by CG; every Hessian-vector product is one evaluation of an
 * oracle over all samples (one Spark job on Spark). Each call starts from the previous call's
 * y* and w, which stay close while x moves little.
 */
public final class ImplicitHypergradient {
  /**
   * The outcome at one x: φ(x) = f(x, y*), ∇φ(x), the final ‖∇y g(x, y*)‖ and relative CG
   * residual ‖∇²yy g w − ∇y f‖ / ‖∇y f‖, the Hessian-vector products spent, and whether both
   * met the tolerance within the budget of products.
   */
  public record Result(double hyperObjective, double[] hypergradient, double[] lowerSolution,
      double lowerGradNorm, double residual, int products, boolean converged) {
  }

  /** y*(x) as found, the final ‖∇y g(x, y*)‖, and the Hessian-vector products spent. */
  public record LowerSolution(double[] y, double gradNorm, int products) {
  }

  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 40;

  private final BilevelOracle oracle;
  private final double tolerance;
  private final int maxProducts;
  private double[] lowerSolution;
  private double[] linearSolution;
  private int products;

  /**
   * @param y0 where the first search for y* starts
   * @param tolerance the accuracy asked for: ‖∇y g(x, y)‖ ≤ tolerance at the y* found, and a
   *     CG residual at most tolerance · ‖∇y f‖
   * @param maxProducts the most Hessian-vector products one call may spend
   * @param blas the BLAS of the products, which run in double precision: single precision's
   *     7 digits do not reach such tolerances
   */
  public ImplicitHypergradient(BilevelProblem problem, GradientEngine engine, double[] y0,
      double tolerance, int maxProducts, Blas.Choice blas) {
    String missing = BilevelOracle.missingSecondOrder(problem);
    if (missing != null) {
      throw new IllegalArgumentException(missing);
    }
    this.oracle = new BilevelOracle(problem, engine, BatchSizes.FULL, 0,
        new Arithmetic(Arithmetic.Precision.DOUBLE, blas));
    this.tolerance = tolerance;
    this.maxProducts = maxProducts;
    this.lowerSolution = y0.clone();
    this.linearSolution = new double[problem.dimY()];
  }

  /**
   * ∇φ(x) and φ(x). Throws {@link IllegalStateException} where ∇²yy g is not positive
   * definite along a search direction (the lower level is not strongly convex there).
   */
  public Result at(double[] x) {
    products = 0;
    double lowerGradNorm = solveLowerLevel(x);
    double[] y = lowerSolution.clone();
    Derivatives upper = oracle.evaluate(x, new double[][] {y},
        LossRequest.upper(0).withGradX().withGradY())[0];
    double[] gradX = upper.gradX();
    double residual = conjugateGradient(x, y, upper.gradY(), linearSolution, tolerance);
    double[] cross = secondOrder(x, y, linearSolution, true);
    Vectors.descend(gradX, 1, cross); // Eq. 4: ∇x f − ∇²xy g w with ∇²yy g w = ∇y f
    boolean converged = lowerGradNorm <= tolerance && residual <= tolerance;
    return new Result(upper.value(), gradX, y, lowerGradNorm, residual, products, converged);
  }

  /** y*(x) alone, to the tolerance within the budget of products (a refit at x). */
  public LowerSolution lowerSolution(double[] x) {
    products = 0;
    double norm = solveLowerLevel(x);
    return new LowerSolution(lowerSolution.clone(), norm, products);
  }

  /**
   * Newton's method on g(x, ·) from the previous solution, with inexact CG steps (relative
   * residual min(1/2, √‖∇y g‖)) and backtracking; a step is taken once it decreases g enough
   * (Armijo) or halves ‖∇y g‖, the latter where g's change drowns in rounding near y*. Returns
   * the final ‖∇y g‖.
   */
  private double solveLowerLevel(double[] x) {
    double[] y = lowerSolution;
    Derivatives at = lowerLevel(x, y);
    double norm = Vectors.norm(at.gradY());
    while (norm > tolerance && products < maxProducts) {
      double[] step = new double[y.length]; // the Newton step is −step
      conjugateGradient(x, y, at.gradY(), step, Math.min(0.5, Math.sqrt(norm)));
      double slope = -Vectors.dot(at.gradY(), step);
      double t = 1;
      for (int halving = 0; ; halving++) {
        double[] trial = y.clone();
        Vectors.descend(trial, t, step);
        Derivatives next = lowerLevel(x, trial);
        double nextNorm = Vectors.norm(next.gradY());
        if (next.value() <= at.value() + ARMIJO * t * slope || nextNorm <= norm / 2) {
          y = trial;
          at = next;
          norm = nextNorm;
          break;
        }
        if (halving == MAX_HALVINGS) {
          lowerSolution = y;
          return norm; // no progress left at this precision
        }
        t /= 2;
      }
    }
    lowerSolution = y;
    return norm;
  }

  /**
   * Solves ∇²yy g(x, y) w = b by CG from the w given (updated in place) within the products
   * left; returns the relative residual.
   */
  private double conjugateGradient(double[] x, double[] y, double[] b, double[] w,
      double relativeTolerance) {
    ConjugateGradient.Outcome outcome = ConjugateGradient.solve(
        v -> secondOrder(x, y, v, false), b, w, relativeTolerance, maxProducts - products);
    return outcome.residual();
  }

  /** g(x, y) and ∇y g(x, y) over all lower-level samples: one evaluation. */
  private Derivatives lowerLevel(double[] x, double[] y) {
    return oracle.evaluate(x, new double[][] {y}, LossRequest.lower(0).withGradY())[0];
  }

  /** ∇²xy g(x, y)·v when {@code cross}, else ∇²yy g(x, y)·v: one evaluation. */
  private double[] secondOrder(double[] x, double[] y, double[] v, boolean cross) {
    products++;
    LossRequest along = LossRequest.lower(0).along(1);
    Derivatives d = oracle.evaluate(x, new double[][] {y, v},
        cross ? along.withGradX() : along.withGradY())[0];
    return cross ? d.gradX() : d.gradY();
  }
}
