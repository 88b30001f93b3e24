package org.f2ba.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.f2ba.data.InputException;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.GradientEngine;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.BilevelOracle.DatasetScore;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.Vectors;

/**
 * Drives the solver over an experiment: evaluates the model before and after every outer
 * iteration, writes a metrics row and a progress line for each, applies the stopping rule, and
 * returns the run's summary.
 */
public final class BilevelRun {
  private static final List<String> COLUMNS = List.of("iter", "wall_s", "hypergrad_norm_est",
      "inner_steps", "inner_grad_norm_z", "inner_grad_norm_y", "delta", "oracle_calls",
      "spark_jobs", "val_loss", "val_acc", "test_loss", "test_acc");

  private final Experiment experiment;
  private final GradientEngine engine;
  private final SolverSettings settings;
  private final long seed;
  private final PrintStream progress;

  public BilevelRun(Experiment experiment, GradientEngine engine, SolverSettings settings,
      long seed, PrintStream progress) {
    this.experiment = experiment;
    this.engine = engine;
    this.settings = settings;
    this.seed = seed;
    this.progress = progress;
  }

  /** The columns of metrics.csv for this experiment. */
  public List<String> columns() {
    List<String> columns = new ArrayList<>(COLUMNS);
    experiment.xMetrics().forEach(m -> columns.add(m.name()));
    return columns;
  }

  /** Runs to the stopping rule, writing every row to {@code output}; returns the summary. */
  public Map<String, Object> run(RunOutput output) {
    long start = System.nanoTime();
    BilevelOracle oracle = new BilevelOracle(experiment.problem(), engine,
        settings.batchSizes(), seed);
    Map<String, Double> initial = scores(oracle, experiment.x0(), experiment.y0());
    output.row(row(0, 0.0, null, initial, engine.jobs(), 0));
    progress.printf("iter %3d  %s%n", 0, describe(initial));
    F2ba solver = new F2ba(oracle, settings.parameters(), settings.schedule(), experiment.x0(),
        experiment.y0());
    Map<String, Double> last = initial;
    OuterState state;
    String stopReason;
    do {
      state = solver.next();
      if (!Vectors.allFinite(state.x()) || !Vectors.allFinite(state.y())
          || !Vectors.allFinite(state.z()) || !Double.isFinite(state.hypergradNorm())) {
        throw new InputException("outer iteration " + state.iteration() + ": the iterates"
            + " diverged (NaN or Inf); try a smaller solver.eta or solver.tau, or a larger"
            + " solver.sigma");
      }
      double wall = seconds(start);
      last = scores(oracle, state.x(), state.y());
      output.row(row(state.iteration(), wall, state, last, engine.jobs(),
          state.oracleCalls()));
      progress.printf("iter %3d  |est grad phi| %.3e  K %d  %s  %.1fs%n", state.iteration(),
          state.hypergradNorm(), state.innerSteps(), describe(last), wall);
      stopReason = settings.stop().reason(state, seconds(start));
    } while (stopReason == null);

    output.vector("x.txt", state.x());
    output.vector("y.txt", state.y());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("experiment", experiment.name());
    summary.put("initial", initial);
    summary.put("final", last);
    summary.put("outer_iters", state.iteration());
    summary.put("wall_s", seconds(start));
    summary.put("oracle_calls", state.oracleCalls());
    summary.put("spark_jobs", engine.jobs());
    summary.put("final_hypergrad_norm_est", state.hypergradNorm());
    summary.put("stop_reason", stopReason);
    return summary;
  }

  /** Validation and test loss and accuracy of y (one evaluation), and the metrics of x. */
  private Map<String, Double> scores(BilevelOracle oracle, double[] x, double[] y) {
    DatasetScore[] s = oracle.score(x, y, DataRole.UPPER, DataRole.TEST);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("val_loss", s[0].meanLoss());
    m.put("val_acc", statistic(s[0]));
    m.put("test_loss", s[1].meanLoss());
    m.put("test_acc", statistic(s[1]));
    for (Experiment.XMetric metric : experiment.xMetrics()) {
      m.put(metric.name(), metric.value().applyAsDouble(x));
    }
    return m;
  }

  private static double statistic(DatasetScore score) {
    return score.meanStatistics().length > 0 ? score.meanStatistics()[0] : Double.NaN;
  }

  private List<Object> row(int iter, double wall, OuterState state, Map<String, Double> scores,
      long jobs, long oracleCalls) {
    List<Object> row = new ArrayList<>();
    row.add(iter);
    row.add(wall);
    row.add(state == null ? "" : state.hypergradNorm());
    row.add(state == null ? 0 : state.innerSteps());
    row.add(state == null ? "" : state.innerGradNormZ());
    row.add(state == null ? "" : state.innerGradNormY());
    row.add(state == null || Double.isNaN(state.delta()) ? "" : state.delta());
    row.add(oracleCalls);
    row.add(jobs);
    row.addAll(scores.values());
    return row;
  }

  private static String describe(Map<String, Double> scores) {
    StringBuilder b = new StringBuilder();
    scores.forEach((k, v) -> b.append(String.format("%s %.4f  ", k, v)));
    return b.toString().trim();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
