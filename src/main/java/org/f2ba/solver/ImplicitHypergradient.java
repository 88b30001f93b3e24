package org.f2ba.solver;

import java.util.Arrays;
import java.util.List;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.Evaluation;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LossRequest;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.SecondOrderLoss;
import org.f2ba.problem.SecondOrderTerm;
import org.f2ba.problem.SmoothTerm;

/**
 * The true hyper-gradient of a problem whose lower level is strongly convex in y, for
 * diagnostics. By the implicit function theorem (Eq. 4),
 * ∇φ(x) = ∇x f(x, y*) − ∇²xy g(x, y*) [∇²yy g(x, y*)]⁻¹ ∇y f(x, y*) at the unique y* = y*(x).
 * y* is found by Newton's method whose steps are solved by conjugate gradient (CG), and the
 * linear system ∇²yy g w = ∇y f by CG; every Hessian-vector product is one evaluation by the
 * engine over all samples (one Spark job on Spark). Each call starts from the previous call's
 * y* and w, which stay close while x moves little.
 */
public final class ImplicitHypergradient {
  /**
   * The outcome at one x: φ(x) = f(x, y*), ∇φ(x), the final ‖∇y g(x, y*)‖ and relative CG
   * residual ‖∇²yy g w − ∇y f‖ / ‖∇y f‖, the Hessian-vector products spent, and whether both
   * met the tolerance within the budget of products.
   */
  public record Result(double hyperObjective, double[] hypergradient, double lowerGradNorm,
      double residual, int products, boolean converged) {
  }

  /** The loss and gradient in y of g at a point. */
  private record LowerLevel(double value, double[] gradient) {
  }

  private static final double ARMIJO = 1e-4;
  private static final int MAX_HALVINGS = 40;

  private final BilevelProblem problem;
  private final GradientEngine engine;
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
   */
  public ImplicitHypergradient(BilevelProblem problem, GradientEngine engine, double[] y0,
      double tolerance, int maxProducts) {
    String missing = missingSecondOrder(problem);
    if (missing != null) {
      throw new IllegalArgumentException(missing);
    }
    this.problem = problem;
    this.engine = engine;
    this.tolerance = tolerance;
    this.maxProducts = maxProducts;
    this.lowerSolution = y0.clone();
    this.linearSolution = new double[problem.dimY()];
  }

  /** Null if the lower level has the second derivatives needed, else what lacks them. */
  public static String missingSecondOrder(BilevelProblem problem) {
    if (problem.yDomain() != null) {
      return "the lower level is constrained to a box";
    }
    if (problem.lowerLoss() != null && !(problem.lowerLoss() instanceof SecondOrderLoss)) {
      return "the lower-level loss has no second derivatives";
    }
    if (problem.lowerTerm() != null && !(problem.lowerTerm() instanceof SecondOrderTerm)) {
      return "the lower-level term has no second derivatives";
    }
    return null;
  }

  /**
   * ∇φ(x) and φ(x). Throws {@link IllegalStateException} where ∇²yy g is not positive
   * definite along a search direction (the lower level is not strongly convex there).
   */
  public Result at(double[] x) {
    products = 0;
    double lowerGradNorm = solveLowerLevel(x);
    double[] y = lowerSolution;
    LossSums upper = evaluate(x, new double[][] {y}, new LossRequest(DataRole.UPPER, 0, true,
        true, true))[0].toMeans();
    double hyperObjective = upper.value;
    double[] gradX = upper.gradX;
    double[] gradY = upper.gradY;
    SmoothTerm term = problem.upperTerm();
    if (term != null) {
      hyperObjective += term.evaluate(x, y, gradX, gradY);
    }
    double residual = conjugateGradient(x, y, gradY, linearSolution, tolerance);
    double[] cross = secondOrder(x, y, linearSolution, true);
    Vectors.descend(gradX, 1, cross); // Eq. 4: ∇x f − ∇²xy g w with ∇²yy g w = ∇y f
    boolean converged = lowerGradNorm <= tolerance && residual <= tolerance;
    return new Result(hyperObjective, gradX, lowerGradNorm, residual, products, converged);
  }

  /**
   * Newton's method on g(x, ·) from the previous solution, with inexact CG steps (relative
   * residual min(1/2, √‖∇y g‖)) and backtracking; a step is taken once it decreases g enough
   * (Armijo) or halves ‖∇y g‖, the latter where g's change drowns in rounding near y*. Returns
   * the final ‖∇y g‖.
   */
  private double solveLowerLevel(double[] x) {
    double[] y = lowerSolution;
    LowerLevel at = lowerLevel(x, y);
    double norm = Vectors.norm(at.gradient());
    while (norm > tolerance && products < maxProducts) {
      double[] step = new double[y.length]; // the Newton step is −step
      conjugateGradient(x, y, at.gradient(), step, Math.min(0.5, Math.sqrt(norm)));
      double slope = -Vectors.dot(at.gradient(), step);
      double t = 1;
      for (int halving = 0; ; halving++) {
        double[] trial = y.clone();
        Vectors.descend(trial, t, step);
        LowerLevel next = lowerLevel(x, trial);
        double nextNorm = Vectors.norm(next.gradient());
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
   * Solves ∇²yy g(x, y) w = b by CG from the w given (updated in place) until the residual is
   * at most relativeTolerance · ‖b‖ or the products run out; returns the relative residual.
   */
  private double conjugateGradient(double[] x, double[] y, double[] b, double[] w,
      double relativeTolerance) {
    double bNorm = Vectors.norm(b);
    if (bNorm == 0) {
      Arrays.fill(w, 0);
      return 0;
    }
    double[] r = b.clone();
    if (Vectors.norm(w) > 0) {
      Vectors.descend(r, 1, secondOrder(x, y, w, false));
    }
    double[] p = r.clone();
    double rr = Vectors.dot(r, r);
    while (Math.sqrt(rr) > relativeTolerance * bNorm && products < maxProducts) {
      double[] hp = secondOrder(x, y, p, false);
      double curvature = Vectors.dot(p, hp);
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
    return Math.sqrt(rr) / bNorm;
  }

  /** g(x, y) and ∇y g(x, y) over all lower-level samples: one evaluation. */
  private LowerLevel lowerLevel(double[] x, double[] y) {
    LossSums sums = evaluate(x, new double[][] {y},
        new LossRequest(DataRole.LOWER, 0, false, true, true))[0].toMeans();
    double value = sums.value;
    double[] gradient = sums.gradY;
    if (problem.lowerTerm() != null) {
      value += problem.lowerTerm().evaluate(x, y, null, gradient);
    }
    return new LowerLevel(value, gradient);
  }

  /** ∇²xy g(x, y)·v when {@code cross}, else ∇²yy g(x, y)·v: one evaluation. */
  private double[] secondOrder(double[] x, double[] y, double[] v, boolean cross) {
    products++;
    LossSums sums = evaluate(x, new double[][] {y, v},
        new LossRequest(DataRole.LOWER, 0, cross, !cross, true, 1))[0].toMeans();
    double[] product = cross ? sums.gradX : sums.gradY;
    if (problem.lowerTerm() instanceof SecondOrderTerm term) {
      term.evaluateAlong(x, y, v, cross ? product : null, cross ? null : product);
    }
    return product;
  }

  private LossSums[] evaluate(double[] x, double[][] points, LossRequest request) {
    return engine.evaluate(new Evaluation(x, points, List.of(request), 0, 0, BatchSizes.FULL));
  }
}
