package org.f2ba.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.f2ba.data.InputException;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.GradientEngine;
import org.f2ba.problem.Blas;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.ImplicitHypergradient;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.Vectors;

/**
 * What a run measures beyond its own iterates, kept out of its jobs and wall time: the true
 * ∇φ at x_t next to the estimate (closed form, or Eq. 4 where the lower level has second
 * derivatives, which also gives φ(x_t) = f(x_t, y*(x_t)) and the test accuracy at y*(x_t)), and
 * at the end the refit: y*(x_T) solved to a tolerance and scored, what a user gets by retraining
 * with the tuned hyperparameters, as opposed to the figures at the y the solver ended with.
 */
final class ExactDiagnostics {
  /** ∇φ at the estimate's point, with φ and the test accuracy at y* where known (else NaN). */
  record Truth(double[] gradient, double phi, double testAccuracy) {
  }

  /** The scores at (x, y*(x)), the ‖∇y g‖ reached, the products and seconds spent. */
  record Refit(Map<String, Double> scores, double lowerGradNorm, int products, double seconds) {
    /** For summary.json. */
    Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>(scores);
      summary.put("lower_grad_norm", lowerGradNorm);
      summary.put("hessian_vector_products", products);
      summary.put("wall_s", seconds);
      return summary;
    }
  }

  private final Experiment experiment;
  private final GradientEngine engine;
  private final Blas.Choice blas;
  private final DiagnosticSettings settings;
  private final PrintStream progress;
  /** The true hyper-gradient by Eq. 4 where it is logged without a closed form, else null. */
  private final ImplicitHypergradient implicit;
  private final boolean testData;
  private long jobs;
  private double seconds;
  private long products;

  ExactDiagnostics(Experiment experiment, GradientEngine engine, Blas.Choice blas,
      DiagnosticSettings settings, PrintStream progress) {
    this.experiment = experiment;
    this.engine = engine;
    this.blas = blas;
    this.settings = settings;
    this.progress = progress;
    this.testData = experiment.data().containsKey(DataRole.TEST);
    if (settings.exactHypergradient() && experiment.hypergradient() == null) {
      String missing = BilevelOracle.missingSecondOrder(experiment.problem());
      if (missing != null) {
        throw new InputException("diagnostics.exact-hypergradient: the true hyper-gradient of "
            + experiment.name() + " is not available: " + missing);
      }
      implicit = new ImplicitHypergradient(experiment.problem(), engine, experiment.y0(),
          settings.tolerance(), settings.maxHessianProducts(), blas);
    } else {
      implicit = null;
    }
  }

  /** The metrics.csv columns these diagnostics fill. */
  List<String> columns() {
    List<String> columns = new ArrayList<>();
    if (settings.exactHypergradient()) {
      columns.addAll(List.of("hypergrad_norm_true", "hypergrad_est_error"));
    }
    if (implicit != null) {
      columns.add("phi");
      if (testData) {
        columns.add("phi_test_acc");
      }
    }
    return columns;
  }

  /** The truth at the estimate's point of {@code state} where it is due, else null. */
  Truth at(OuterState state, BilevelOracle oracle) {
    if (!settings.exactHypergradient() || state.iteration() % settings.every() != 0) {
      return null;
    }
    if (implicit == null) {
      return new Truth(experiment.hypergradient().apply(state.estimatePoint()), Double.NaN,
          Double.NaN);
    }
    long jobsBefore = engine.jobs();
    long start = System.nanoTime();
    ImplicitHypergradient.Result result;
    try {
      result = implicit.at(state.estimatePoint());
    } catch (IllegalStateException e) {
      throw new InputException("outer iteration " + state.iteration()
          + ": diagnostics.exact-hypergradient: " + e.getMessage());
    }
    double testAccuracy = testData ? oracle.inDoublePrecision().score(state.estimatePoint(),
        result.lowerSolution(), DataRole.TEST)[0].meanStatistics()[0] : Double.NaN;
    count(jobsBefore, start, result.products());
    if (!result.converged()) {
      progress.printf("warning: outer iteration %d: the true hyper-gradient is inexact:"
              + " |grad_y g| %.2e and CG residual %.2e after %d Hessian-vector products, asked"
              + " %.2e (diagnostics.tolerance, diagnostics.max-hessian-products)%n",
          state.iteration(), result.lowerGradNorm(), result.residual(), result.products(),
          settings.tolerance());
    }
    return new Truth(result.hypergradient(), result.hyperObjective(), testAccuracy);
  }

  /** The cells of {@link #columns()} for a row: empty where {@code truth} is null. */
  List<Object> cells(OuterState state, Truth truth) {
    List<Object> cells = new ArrayList<>();
    if (settings.exactHypergradient()) {
      if (truth == null) {
        cells.addAll(List.of("", ""));
      } else if (state.hypergradEstimate() == null) {
        cells.addAll(List.of(Vectors.norm(truth.gradient()), ""));
      } else {
        double[] error = state.hypergradEstimate().clone();
        Vectors.descend(error, 1, truth.gradient());
        cells.addAll(List.of(Vectors.norm(truth.gradient()), Vectors.norm(error)));
      }
    }
    if (implicit != null) {
      cells.add(truth == null ? "" : truth.phi());
      if (testData) {
        cells.add(truth == null ? "" : truth.testAccuracy());
      }
    }
    return cells;
  }

  /**
   * The refit at x: y*(x) by Newton-CG from {@code y} to diagnostics.refit-tolerance, scored by
   * {@code scores}; null where the run has no test data, the refit is off, the lower level
   * lacks second derivatives, or Newton-CG meets a Hessian that is not positive definite (a
   * network's lower level), which a warning line says.
   */
  Refit refit(double[] x, double[] y,
      BiFunction<double[], double[], Map<String, Double>> scores) {
    if (!settings.refit() || !testData
        || BilevelOracle.missingSecondOrder(experiment.problem()) != null) {
      return null;
    }
    long jobsBefore = engine.jobs();
    long start = System.nanoTime();
    ImplicitHypergradient.LowerSolution solution;
    try {
      solution = new ImplicitHypergradient(experiment.problem(), engine, y,
          settings.refitTolerance(), settings.maxHessianProducts(), blas).lowerSolution(x);
    } catch (IllegalStateException e) {
      count(jobsBefore, start, 0);
      progress.printf("warning: no refit (diagnostics.refit): %s%n", e.getMessage());
      return null;
    }
    Map<String, Double> scored = scores.apply(x, solution.y());
    count(jobsBefore, start, solution.products());
    return new Refit(scored, solution.gradNorm(), solution.products(),
        (System.nanoTime() - start) / 1e9);
  }

  /** Their cost, for the summary, or null where nothing was computed apart. */
  Map<String, Object> cost() {
    if (jobs == 0 && products == 0) {
      return null;
    }
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("hessian_vector_products", products);
    cost.put("spark_jobs", jobs);
    cost.put("wall_s", seconds);
    return cost;
  }

  /** Jobs run for the diagnostics so far. */
  long jobs() {
    return jobs;
  }

  /** Seconds spent on the diagnostics so far. */
  double seconds() {
    return seconds;
  }

  private void count(long jobsBefore, long startNanos, int productsSpent) {
    jobs += engine.jobs() - jobsBefore;
    seconds += (System.nanoTime() - startNanos) / 1e9;
    products += productsSpent;
  }
}
