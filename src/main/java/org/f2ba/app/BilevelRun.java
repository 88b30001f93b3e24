package org.f2ba.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.f2ba.data.InputException;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.GradientEngine;
import org.f2ba.problem.Arithmetic;
import org.f2ba.report.Figure;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.BilevelOracle.DatasetScore;
import org.f2ba.solver.BilevelSolver;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.SolverState;
import org.f2ba.solver.SolverType;
import org.f2ba.solver.TheoryParameters;
import org.f2ba.solver.Vectors;

/**
 * Drives the solver over an experiment: evaluates the model before and after every outer
 * iteration, writes a metrics row and a progress line for each, applies the stopping rule, and
 * returns the run's summary.
 */
public final class BilevelRun {
  /** The columns of every run before the solver's own, and after them. */
  private static final List<String> LEADING = List.of("iter", "wall_s", "hypergrad_norm_est",
      "inner_steps");
  private static final List<String> TRAILING = List.of("oracle_calls", "second_order_calls",
      "spark_jobs", "val_loss", "val_acc", "test_loss", "test_acc");

  private final Experiment experiment;
  private final GradientEngine engine;
  private final Arithmetic arithmetic;
  private final SolverSettings settings;
  private final long seed;
  private final PrintStream progress;
  private final ExactDiagnostics diagnostics;

  /**
   * @param arithmetic the precision and BLAS of the solver's products (the exact diagnostics
   *     and the refit run in double precision)
   * @param diagnostics whether to log the true hyper-gradient next to the estimate (columns
   *     hypergrad_norm_true and hypergrad_est_error), known in closed form or computed by
   *     Eq. 4 on {@code engine} where the lower level has second derivatives, and to refit at
   *     the end
   */
  public BilevelRun(Experiment experiment, GradientEngine engine, Arithmetic arithmetic,
      SolverSettings settings, long seed, PrintStream progress, DiagnosticSettings diagnostics) {
    this.diagnostics = new ExactDiagnostics(experiment, engine, arithmetic.blas(), diagnostics,
        progress);
    this.experiment = experiment;
    this.engine = engine;
    this.arithmetic = arithmetic;
    this.settings = settings;
    this.seed = seed;
    this.progress = progress;
  }

  /** The columns of metrics.csv for this experiment. */
  public List<String> columns() {
    List<String> columns = new ArrayList<>(LEADING);
    columns.addAll(settings.solver().columns());
    columns.addAll(TRAILING);
    experiment.xMetrics().forEach(m -> columns.add(m.name()));
    columns.addAll(diagnostics.columns());
    return columns;
  }

  /**
   * Runs to the stopping rule, writing every row to {@code output} and checkpoints as
   * {@code checkpointing} says, from the newest checkpoint where it asks to resume; returns the
   * summary. A signal recorded by {@code stop} ends the run after the outer iteration under way,
   * with a checkpoint of it, by {@link RunStopped}.
   */
  public Map<String, Object> run(RunRecord output, Checkpointing checkpointing,
      StopSignals stop) {
    long start = System.nanoTime();
    BilevelOracle oracle = new BilevelOracle(experiment.problem(), engine,
        settings.batchSizes(), seed, arithmetic);
    String problem = experiment.name() + ", dim x " + experiment.problem().dimX() + ", dim y "
        + experiment.problem().dimY();
    String sampling = "seed " + seed + ", batches " + settings.batchSizes().upper() + "/"
        + settings.batchSizes().lower() + " (0: full), " + engine.shards() + " partitions, "
        + arithmetic;
    TheoryParameters theory = settings.theory();
    if (theory != null) {
      progress.printf("theory mode (Theorems 4.1-4.2): eta %.4g, sigma %.4g, tau %.4g, batches"
              + " %d/%d (0: full), T %d; predicted oracle budget %.4g%n", theory.eta(),
          theory.sigma(), theory.tau(), theory.batchSizes().upper(),
          theory.batchSizes().lower(), theory.outerIterations(),
          theory.predictedOracleCalls());
    }
    Checkpoint from = checkpointing.resume() ? checkpointing.store().newest() : null;
    engine.describeJobs("start", "the starting point's metrics");
    Map<String, Double> initial = scores(oracle, experiment.x0(), experiment.y0());
    List<List<String>> rows = new ArrayList<>();
    double wallBefore = 0;
    SolverType type = settings.solver();
    BilevelSolver solver;
    if (from == null) {
      rows.add(row(0, 0.0, null, initial, runJobs(), null));
      progress.printf("iter %3d  %s%n", 0, describe(initial));
      solver = start(type, oracle, placeX(oracle, SolverState.initial(experiment.x0(),
          experiment.y0())));
    } else {
      if (!from.problem().equals(problem)) {
        throw new InputException("checkpoint.dir: the newest checkpoint (outer iteration "
            + from.iteration() + ") is of another problem (" + from.problem() + "), not of "
            + problem);
      }
      if (!from.solver().equals(type.name())) {
        throw new InputException("checkpoint.dir: the newest checkpoint (outer iteration "
            + from.iteration() + ") is of solver " + from.solver() + ", this run's solver.name"
            + " is " + type.name() + "; resume with solver.name = " + from.solver());
      }
      if (!from.metricRows().isEmpty() && from.metricRows().get(0).size() != columns().size()) {
        throw new InputException("checkpoint.dir: the newest checkpoint's metrics have "
            + from.metricRows().get(0).size() + " columns, this run's " + columns().size()
            + "; resume with the diagnostics.exact-hypergradient of the run that wrote it");
      }
      if (!from.sampling().equals(sampling)) {
        progress.printf("warning: the checkpoint was written with %s, this run has %s: it"
            + " continues from the checkpoint, but is not the uninterrupted run bit for bit%n",
            from.sampling(), sampling);
      }
      rows.addAll(from.metricRows());
      oracle.restore(from.draws(), from.oracleCalls(), from.secondOrderCalls());
      solver = start(type, oracle, placeX(oracle, from.state()));
      wallBefore = from.wallSeconds();
      progress.printf("resuming after outer iteration %d from its checkpoint%n",
          from.iteration());
    }
    rows.forEach(output::row);
    Map<String, Double> last = initial;
    OuterState state = null;
    String stopReason = from == null ? null : stopReason(solver,
        settings.stop().reason(from.iteration(), Double.NaN, wallBefore));
    SafePoint safe = new SafePoint(checkpointing, output, progress, from);
    while (stopReason == null) {
      safe.stopIfSignalled(stop);
      try {
        int t = rows.size(); // the outer iteration to come (row 0 is the start)
        engine.describeJobs("outer-" + t, "outer iteration " + t);
        state = next(solver, t);
        checkDivergence(state);
        double wall = elapsed(start, wallBefore);
        engine.describeJobs("outer-" + t, "outer iteration " + t + ", metrics");
        last = scores(oracle, state.x(), state.y());
        engine.describeJobs("outer-" + t, "outer iteration " + t
            + ", exact hyper-gradient (diagnostics)");
        ExactDiagnostics.Truth truth = diagnostics.at(state, oracle);
        List<String> row = row(state.iteration(), wall, state, last, runJobs(), truth);
        rows.add(row);
        output.row(row);
        progress.printf("iter %3d  |est grad phi| %.3e  %sK %d  %s  %.1fs%n",
            state.iteration(), state.hypergradNorm(), truth == null ? ""
                : String.format("|grad phi| %.3e  ", Vectors.norm(truth.gradient())),
            state.innerSteps(),
            describe(last), wall);
        safe.reached(new Checkpoint(problem, sampling, type.name(), state.state(),
            oracle.draws(), state.oracleCalls(), state.secondOrderCalls(), wall,
            List.copyOf(rows)));
      } catch (Exception e) { // Spark's exceptions are checked ones, which Scala never declares
        safe.keepOnFailure(e);
        throw e;
      }
      stopReason = stopReason(solver, settings.stop().reason(state.iteration(),
          state.hypergradNorm(), elapsed(start, wallBefore)));
    }
    if (state == null) {
      throw new InputException("checkpoint.dir: the newest checkpoint is of outer iteration "
          + from.iteration() + ", where the run had already stopped (" + stopReason + ");"
          + " raise solver.T or the stopping rule's limit to continue");
    }
    double[] x = state.state().gatherX();
    if (state.x() == null) { // kept with its rows: its metrics only now, on the gathered x
      last.putAll(xMetrics(x));
    }
    if (!experiment.data().containsKey(DataRole.TEST)) {
      progress.printf("x: %s after %d outer iterations (%s)%n",
          Arrays.toString(Arrays.copyOf(x, Math.min(5, x.length))), state.iteration(),
          stopReason);
    } else {
      progress.printf("test accuracy: %.4f before, %.4f after (%s)%n",
          initial.get("test_acc"), last.get("test_acc"), stopReason);
    }
    output.vector("x.txt", x);
    output.vector("y.txt", state.y());
    for (Function<double[], Figure> figure : experiment.xFigures()) {
      output.figure(figure.apply(x));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("experiment", experiment.name());
    summary.put("solver", type.name());
    summary.put("initial", measured(initial));
    summary.put("final", measured(last));
    summary.put("outer_iters", state.iteration());
    summary.put("wall_s", elapsed(start, wallBefore));
    summary.put("oracle_calls", state.oracleCalls());
    summary.put("second_order_calls", state.secondOrderCalls());
    summary.put("spark_jobs", runJobs());
    summary.put("final_hypergrad_norm_est", state.hypergradNorm());
    summary.put("stop_reason", stopReason);
    engine.describeJobs("refit", "refit: y*(x_T) at the final hyperparameters");
    ExactDiagnostics.Refit refit = diagnostics.refit(state.x(), state.y(),
        (at, y) -> measured(scores(oracle.inDoublePrecision(), at, y)));
    if (refit != null) {
      summary.put("refit", refit.summary());
      progress.printf("refit at the final x (y*(x) to |grad_y g| %.1e, %.1fs): %s%n",
          refit.lowerGradNorm(), refit.seconds(), describe(refit.scores()));
    }
    if (diagnostics.cost() != null) {
      summary.put("diagnostics", diagnostics.cost());
    }
    if (theory != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("eta", theory.eta());
      t.put("sigma", theory.sigma());
      t.put("tau", theory.tau());
      t.put("batch_upper", theory.batchSizes().upper());
      t.put("batch_lower", theory.batchSizes().lower());
      t.put("T", theory.outerIterations());
      t.put("predicted_oracle_calls", theory.predictedOracleCalls());
      t.put("oracle_calls_used", state.oracleCalls());
      summary.put("theory", t);
    }
    return summary;
  }

  /**
   * {@code state}, its x kept with its rows where the engine keeps x there, else as it is; one
   * line saying why where x cannot be kept.
   */
  private SolverState placeX(BilevelOracle oracle, SolverState state) {
    if (!engine.keepsXWithRows()) {
      return state;
    }
    try {
      return state.withKeptX(oracle.keepX(state.x()));
    } catch (IllegalArgumentException e) {
      throw new InputException("spark.per-sample-x = with-rows: " + e.getMessage(), e);
    }
  }

  /** The solver of {@code type} from {@code state}, or one line saying why it cannot run. */
  private static BilevelSolver start(SolverType type, BilevelOracle oracle, SolverState state) {
    try {
      return type.start(oracle, state);
    } catch (IllegalArgumentException e) {
      throw new InputException("solver.name = " + type.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The next outer iteration, the {@code number}-th, or one line naming it where the solver
   * found the problem outside its assumptions (a lower level without positive curvature).
   */
  private static OuterState next(BilevelSolver solver, int number) {
    try {
      return solver.next();
    } catch (IllegalStateException e) {
      throw new InputException("outer iteration " + number + ": " + e.getMessage(), e);
    }
  }

  /** {@code rule}'s reason to stop, or that the solver has nothing left to do. */
  private static String stopReason(BilevelSolver solver, String rule) {
    return rule != null || solver.hasNext() ? rule : "the solver ended";
  }

  /**
   * Ends the run when an iterate is no longer finite or has exploded past
   * solver.divergence-norm, naming the outer iteration and the likely remedy.
   */
  private void checkDivergence(OuterState state) {
    double limit = settings.divergenceNorm();
    List<Double> norms = new ArrayList<>(List.of(state.x() != null ? Vectors.norm(state.x())
        : state.state().keptX().norm(), Vectors.norm(state.y())));
    if (state.hasEstimate()) {
      norms.add(state.hypergradNorm());
    }
    state.state().vectors().values().forEach(v -> norms.add(Vectors.norm(v)));
    for (double norm : norms) {
      if (!Double.isFinite(norm) || norm > limit) {
        throw new InputException("outer iteration " + state.iteration() + ": the iterates"
            + " diverged (" + (Double.isFinite(norm) ? "a norm of " + norm + " > "
            + "solver.divergence-norm = " + limit : "NaN or Inf") + "); try smaller step sizes"
            + " under solver." + settings.solver().name() + ". Metrics up to the previous"
            + " iteration and any checkpoints are kept");
      }
    }
  }

  /**
   * Validation and test loss and accuracy of y (one evaluation), where the experiment has such
   * data (NaN where not: the paper's instances have none, an estimator no test set), and the
   * metrics of x (NaN where x is kept with its rows, null: they need all of x at once).
   */
  private Map<String, Double> scores(BilevelOracle oracle, double[] x, double[] y) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String k : List.of("val_loss", "val_acc", "test_loss", "test_acc")) {
      m.put(k, Double.NaN);
    }
    boolean test = experiment.data().containsKey(DataRole.TEST);
    boolean validation = experiment.data().containsKey(DataRole.UPPER)
        && experiment.problem().upperLoss().numStatistics() > 0; // a classifier's
    DataRole[] roles = test ? new DataRole[] {DataRole.UPPER, DataRole.TEST}
        : validation ? new DataRole[] {DataRole.UPPER} : new DataRole[0];
    DatasetScore[] s = roles.length == 0 ? new DatasetScore[0] : oracle.score(x, y, roles);
    for (int i = 0; i < s.length; i++) {
      String set = roles[i] == DataRole.TEST ? "test" : "val";
      m.put(set + "_loss", s[i].meanLoss());
      m.put(set + "_acc", statistic(s[i]));
    }
    m.putAll(xMetrics(x));
    return m;
  }

  /** The experiment's metrics of x, NaN where x is null. */
  private Map<String, Double> xMetrics(double[] x) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Experiment.XMetric metric : experiment.xMetrics()) {
      m.put(metric.name(), x == null ? Double.NaN : metric.value().applyAsDouble(x));
    }
    return m;
  }

  /** The scores that were measured, without the NaN of sets the experiment does not have. */
  private static Map<String, Double> measured(Map<String, Double> scores) {
    Map<String, Double> measured = new LinkedHashMap<>(scores);
    measured.values().removeIf(v -> Double.isNaN(v));
    return measured;
  }

  /** Seconds of the run itself so far (before a resume too), without the diagnostics'. */
  private double elapsed(long start, double wallBefore) {
    return wallBefore + seconds(start) - diagnostics.seconds();
  }

  /** Jobs of the run itself, without those of the diagnostics. */
  private long runJobs() {
    return engine.jobs() - diagnostics.jobs();
  }

  private static double statistic(DatasetScore score) {
    return score.meanStatistics().length > 0 ? score.meanStatistics()[0] : Double.NaN;
  }

  /** A metrics row, with the diagnostics' cells for {@code truth} (null: none this row). */
  private List<String> row(int iter, double wall, OuterState state, Map<String, Double> scores,
      long jobs, ExactDiagnostics.Truth truth) {
    List<Object> row = new ArrayList<>();
    row.add(iter);
    row.add(wall);
    row.add(state == null || !state.hasEstimate() ? "" : state.hypergradNorm());
    row.add(state == null ? 0 : state.innerSteps());
    for (String column : settings.solver().columns()) {
      double value = state == null ? Double.NaN : state.metric(column);
      row.add(Double.isNaN(value) ? "" : value);
    }
    row.add(state == null ? 0 : state.oracleCalls());
    row.add(state == null ? 0 : state.secondOrderCalls());
    row.add(jobs);
    scores.values().forEach(v -> row.add(Double.isNaN(v) ? "" : v));
    row.addAll(diagnostics.cells(state, truth));
    return row.stream().map(String::valueOf).toList();
  }

  private static String describe(Map<String, Double> scores) {
    StringBuilder b = new StringBuilder();
    scores.forEach((k, v) -> {
      if (!Double.isNaN(v)) {
        b.append(String.format("%s %.4f  ", k, v));
      }
    });
    return b.toString().trim();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
