package org.f2ba.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.f2ba.app.F2baApp;

/**
 * Every solver on the same problems, data, starting point and wall-clock budget (not a test):
 * each with a small grid of step sizes and several seeds; per solver the setting with the best
 * median selection metric is kept, as benchopt does. The selection metric is what a user gets
 * from the hyperparameters: on data, the validation loss after the refit (φ(x_T), y*(x_T) solved
 * to a tolerance), not the loss at the solver's own y; on the PL family, φ(x_T) in closed form.
 * Writes PROBLEM.md, PROBLEM.json and one PNG per problem and axis (validation loss, or
 * φ, against wall time and against oracle calls, gradients plus second-order products). Run it
 * with submit-scripts/compare.sh.
 */
public final class Comparison {
  /**
   * A problem: its config and overrides, the metric curves plot, and the budget: seconds of
   * wall-clock time, or, where {@code iterations} is positive, outer iterations.
   */
  record Problem(String name, String title, List<String> args, String curve,
      double seconds, int iterations) {
    String budget() {
      return iterations > 0 ? iterations + " outer iterations"
          : String.format("%.0f s of wall-clock time", seconds);
    }
  }

  /** One step-size setting of a solver: its keys under solver.NAME. */
  record Setting(String solver, List<String> keys) {
    String label() {
      return keys.isEmpty() ? "defaults" : String.join(" ", keys);
    }
  }

  /**
   * One run's curves (wall time, oracle calls, the problem's metric, and the other metrics
   * plotted where the run logged them) and end figures.
   */
  record Run(Setting setting, long seed, double[] wall, double[] calls, double[] curve,
      Map<String, double[]> others, Map<String, Double> end, String failure) {
  }

  /**
   * Solvers whose oracle calls count samples (each batch of B costs B) where the others, on full
   * batches, count one per pass over the data: left out of the plots against oracle calls.
   */
  private static final Set<String> COUNTS_SAMPLES = Set.of("saba");

  /** The metrics plotted besides a problem's own curve, with the names of their plots. */
  private static final Map<String, String> OTHER_CURVES = Map.of(
      "test_acc", "test-acc", "hypergrad_norm_true", "true-grad");

  private static final String SMALL_DATA = "data/fashion-mnist-small";
  private static final double REFIT_TOLERANCE = 1e-5;
  private static final int REFIT_PRODUCTS = 1000;
  /** Wall-clock seconds per run on the data problems. */
  private static final double SECONDS = 10;

  /**
   * Arguments: the output directory, then the problems to run (all on the embedded subset where
   * none is named; {@code table3} for the protocol of the companion paper's Table 3 on the full
   * Fashion-MNIST, {@code table2} for that of its Table 2, {@link Table2}).
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/comparison");
    List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
    Path runs = Path.of("target", "comparison-runs");
    Files.createDirectories(out);
    if (only.contains("table2")) {
      Table2.run(out, runs, only.subList(only.indexOf("table2") + 1, only.size()));
      return;
    }
    if (only.contains("network")) {
      NetworkVsLinear.run(out, runs);
      return;
    }
    boolean table3 = only.contains("table3");
    Map<String, Map<String, List<Run>>> table3Runs = new LinkedHashMap<>();
    for (Problem problem : table3 ? Table3.problems() : problems()) {
      if (!table3 && !only.isEmpty() && !only.contains(problem.name())) {
        continue;
      }
      long[] seeds = table3 ? new long[] {1} : new long[] {1, 2};
      List<Run> all = new ArrayList<>();
      for (Setting setting : table3 ? Table3.settings() : settings(problem.name())) {
        for (long seed : seeds) {
          all.add(run(problem, setting, seed, runs));
          System.err.printf("%s %s %s seed %d: %s%n", problem.name(), setting.solver(),
              setting.label(), seed, all.get(all.size() - 1).failure() == null ? "done"
                  : all.get(all.size() - 1).failure());
        }
      }
      Map<String, List<Run>> best = selectBest(all, problem);
      List<String> metrics = new ArrayList<>(List.of(problem.curve()));
      OTHER_CURVES.keySet().stream().sorted().filter(m -> best.values().stream()
          .flatMap(List::stream).anyMatch(r -> r.others().containsKey(m))).forEach(metrics::add);
      for (String metric : metrics) {
        String file = metric.equals(problem.curve()) ? problem.name()
            : problem.name() + "-" + OTHER_CURVES.get(metric);
        for (String axis : List.of("wall", "calls")) {
          ComparisonPlot.write(out.resolve(file + "-" + axis + ".png"),
              problem.title() + ": median over seeds of the selected setting",
              axis.equals("wall") ? "wall-clock seconds" : "oracle calls (gradients + HVPs)",
              metric.equals("hypergrad_norm_true") ? "true |grad phi|" : metric,
              curves(best, axis, metric));
        }
      }
      if (!table3) { // table3.md holds those runs, at the solvers' own y as the paper has it
        Files.writeString(out.resolve(problem.name() + ".md"), table(problem, best));
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
          out.resolve(problem.name() + ".json").toFile(), describe(problem, all, best));
      table3Runs.put(problem.name(), best);
    }
    if (table3) {
      Files.writeString(out.resolve("table3.md"), Table3.markdown(table3Runs));
    }
  }

  private static List<Problem> problems() {
    List<String> data = List.of("data.dir=" + SMALL_DATA, "data.train-size=6000",
        "data.val-size=2000", "data.test-size=2000", "data.label-noise=0.5",
        "diagnostics.refit-tolerance=" + REFIT_TOLERANCE,
        "diagnostics.max-hessian-products=" + REFIT_PRODUCTS);
    List<Problem> problems = new ArrayList<>();
    List<String> hyperclean = new ArrayList<>(List.of("conf/default.conf"));
    hyperclean.addAll(data);
    problems.add(new Problem("hyperclean", "data hyper-cleaning (Fashion-MNIST subset, 50% noise)",
        hyperclean, "val_loss", SECONDS, 0));
    // Scalar x from too weak a penalty (where few inner steps move x the wrong way), one
    // strength per class from too strong a one (the shipped config's start).
    for (String[] granularity : new String[][] {{"scalar", "-8"}, {"per-class", "-2"}}) {
      List<String> regtune = new ArrayList<>(List.of("conf/default.conf", "problem=regtune",
          "regtune.granularity=" + granularity[0],
          "regtune.initial-log-strength=" + granularity[1]));
      regtune.addAll(data);
      problems.add(new Problem("regtune-" + granularity[0], "regularization tuning, "
          + granularity[0] + " x from " + granularity[1].replace('-', '−')
          + " (Fashion-MNIST subset, p = 0.5)", regtune, "val_loss", SECONDS, 0));
    }
    problems.add(new Problem("pl-synthetic", "synthetic nonconvex-PL family (deterministic)",
        List.of("conf/pl-synthetic.conf", "diagnostics.exact-hypergradient=true",
            "solver.stop.hypergrad-norm=0"), "phi", 3, 0));
    return problems;
  }

  /** The step-size grid of every solver for a problem. */
  private static List<Setting> settings(String problem) {
    List<Setting> s = new ArrayList<>();
    boolean pl = problem.equals("pl-synthetic");
    boolean hyperclean = problem.equals("hyperclean");
    // The outer steps: x's hyper-gradient is O(1/n) per sample in hyper-cleaning.
    List<String> eta = pl ? List.of("0.25", "0.5") : hyperclean ? List.of("1000", "3600")
        : List.of("30", "100");
    // Inner steps: the unweighted training loss of regularization tuning has twice the
    // curvature of hyper-cleaning's, whose weights start at 1/2.
    String inner = pl ? "0.12" : hyperclean ? "0.15" : "0.075";
    String k = pl ? "40" : "10";
    for (String e : eta) {
      s.add(new Setting("f2ba", List.of("eta=" + e, "tau=" + inner, "K=" + k,
          "sigma=" + (pl ? "1e-5" : "0.1"))));
      s.add(new Setting("accf2ba", List.of("eta=" + e, "tau=" + inner, "K=" + k,
          "sigma=" + (pl ? "1e-5" : "0.1"), "momentum=0.5", "outer-momentum=0.5")));
      s.add(new Setting("aid-cg", List.of("eta=" + e, "alpha=" + inner, "K=" + k)));
      s.add(new Setting("aid-neumann", List.of("eta=" + e, "alpha=" + inner, "K=" + k,
          "beta=" + inner)));
      s.add(new Setting("itd", List.of("eta=" + e, "alpha=" + inner, "K=" + k)));
      double ratio = Double.parseDouble(inner) / Double.parseDouble(e);
      s.add(new Setting("soba", List.of("step=" + inner, "ratio=" + ratio, "decay=false")));
      // SAGA's estimates from a tenth of the data: a third of SOBA's steps (SOBA's diverged).
      double sabaStep = Double.parseDouble(inner) / 3;
      s.add(new Setting("saba", List.of("step=" + threeDigits(sabaStep),
          "ratio=" + threeDigits(sabaStep / Double.parseDouble(e)), "batches=10")));
      double lambda0 = pl ? 1e5 : 10;
      s.add(new Setting("f2sa", List.of("alpha=" + Double.parseDouble(inner) / lambda0,
          "beta=" + inner, "gamma=" + e, "lambda0=" + lambda0, "lambda-step=" + lambda0 / 10,
          "lambda-max=" + lambda0 * 10, "K=" + k)));
      s.add(new Setting("bome", List.of("alpha=0.01", "ratio=" + 0.01 / Double.parseDouble(e),
          "beta=" + inner, "K=" + k)));
    }
    if (!hyperclean) { // one common value of x: no data weights to search
      s.add(new Setting("grid", pl ? List.of("from=-2", "to=2", "points=21", "alpha=0.12")
          : List.of("from=-9", "to=-3", "points=13", "alpha=" + inner)));
    }
    return s;
  }

  /** {@code value} to three significant digits, without trailing zeros. */
  static String threeDigits(double value) {
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  static Run run(Problem problem, Setting setting, long seed, Path runs)
      throws Exception {
    Path dir = runs.resolve(problem.name()).resolve(setting.solver())
        .resolve(setting.label().replaceAll("[^A-Za-z0-9.=-]+", "_")).resolve("seed-" + seed);
    List<String> args = new ArrayList<>(problem.args());
    args.addAll(List.of("seed=" + seed, "solver.name=" + setting.solver(), "output.dir=" + dir));
    args.addAll(problem.iterations() > 0 ? List.of("solver.T=" + problem.iterations())
        : List.of("solver.T=100000", "solver.stop.wall-seconds=" + problem.seconds()));
    setting.keys().forEach(k -> args.add("solver." + setting.solver() + "." + k));
    StringWriter err = new StringWriter();
    // A run that completed before (its summary is there) is read, not run again.
    int code = Files.exists(dir.resolve("summary.json")) ? 0
        : F2baApp.run(new PrintWriter(err), args.toArray(String[]::new));
    if (code != 0) {
      return new Run(setting, seed, new double[0], new double[0], new double[0], Map.of(),
          Map.of(),
          err.toString().lines().filter(l -> l.startsWith("error:")).findFirst()
              .orElse("exit " + code));
    }
    List<CSVRecord> rows;
    try (CSVParser parser = CSVParser.parse(dir.resolve("metrics.csv"), StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
      rows = parser.getRecords();
    }
    double[] wall = new double[rows.size()];
    double[] calls = new double[rows.size()];
    double[] curve = new double[rows.size()];
    Map<String, double[]> others = new LinkedHashMap<>();
    for (String metric : OTHER_CURVES.keySet()) {
      if (!rows.isEmpty() && rows.get(0).isMapped(metric)
          && rows.stream().skip(1).anyMatch(r -> !r.get(metric).isEmpty()
              && Double.isFinite(Double.parseDouble(r.get(metric))))) {
        others.put(metric, new double[rows.size()]);
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      CSVRecord row = rows.get(i);
      wall[i] = Double.parseDouble(row.get("wall_s"));
      calls[i] = Double.parseDouble(row.get("oracle_calls"))
          + Double.parseDouble(row.get("second_order_calls"));
      curve[i] = Double.parseDouble(row.get(problem.curve()));
      for (Map.Entry<String, double[]> other : others.entrySet()) {
        String v = row.get(other.getKey());
        other.getValue()[i] = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
      }
    }
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    Map<String, Double> end = new LinkedHashMap<>();
    end.put("outer_iters", summary.get("outer_iters").asDouble());
    end.put("wall_s", summary.get("wall_s").asDouble());
    end.put("oracle_calls", summary.get("oracle_calls").asDouble());
    end.put("second_order_calls", summary.get("second_order_calls").asDouble());
    for (String key : List.of("val_loss", "test_acc", "weight_f1", "phi", "phi_gap",
        "lower_grad_norm")) {
      if (summary.get("final").has(key)) {
        end.put("final_" + key, summary.get("final").get(key).asDouble());
      }
      if (summary.has("refit") && summary.get("refit").has(key)) {
        end.put("refit_" + key, summary.get("refit").get(key).asDouble());
      }
    }
    return new Run(setting, seed, wall, calls, curve, others, end, null);
  }

  /** The selection metric of a run: refit validation loss on data, φ(x_T) on the PL family. */
  private static double selection(Run run) {
    if (run.failure() != null) {
      return Double.POSITIVE_INFINITY;
    }
    Double refit = run.end().get("refit_val_loss");
    return refit != null ? refit : run.end().getOrDefault("final_phi", Double.NaN);
  }

  /** Per solver, the runs of its setting with the lowest median selection metric. */
  static Map<String, List<Run>> selectBest(List<Run> all, Problem problem) {
    Map<String, Map<String, List<Run>>> bySolver = new LinkedHashMap<>();
    for (Run run : all) {
      bySolver.computeIfAbsent(run.setting().solver(), s -> new LinkedHashMap<>())
          .computeIfAbsent(run.setting().label(), l -> new ArrayList<>()).add(run);
    }
    Map<String, List<Run>> best = new LinkedHashMap<>();
    bySolver.forEach((solver, bySetting) -> best.put(solver, bySetting.values().stream()
        .min(Comparator.comparingDouble(runs -> median(runs.stream()
            .mapToDouble(Comparison::selection).toArray()))).orElseThrow()));
    return best;
  }

  static Map<String, Object> describe(Problem problem, List<Run> all,
      Map<String, List<Run>> best) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("title", problem.title());
    out.put("args", problem.args());
    out.put("budget_per_run", problem.budget());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Run run : all) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("solver", run.setting().solver());
      r.put("setting", run.setting().label());
      r.put("seed", run.seed());
      r.put("selected", best.get(run.setting().solver()).contains(run));
      if (run.failure() != null) {
        r.put("failure", run.failure());
      }
      r.putAll(run.end());
      runs.add(r);
    }
    out.put("runs", runs);
    return out;
  }

  /** The Markdown table of a problem's selected settings, ranked by the selection metric. */
  private static String table(Problem problem, Map<String, List<Run>> best) {
    boolean data = !problem.curve().equals("phi");
    double target = targetOf(best);
    StringBuilder md = new StringBuilder();
    md.append("## ").append(problem.title()).append("\n\n");
    md.append(String.format("Budget %s per run; medians over %d seeds"
        + " [min, max]. Ranked by %s. Time to target: first time the %s curve (median over"
        + " seeds) is at most %.4f, 1.2 times the lowest median final value.%n%n",
        problem.budget(), best.values().iterator().next().size(), data
            ? "the validation loss after the refit, φ(x_T) (y*(x_T) by Newton-CG to |∇y g| ≤ "
                + REFIT_TOLERANCE + " or " + REFIT_PRODUCTS + " Hessian-vector products)"
            : "φ(x_T) in closed form", problem.curve(), target));
    md.append(data ? "| solver | setting | refit val loss (φ) | refit test acc | refit ‖∇y g‖"
        + " (max) | as-trained val loss | as-trained test acc | F1 of weight > 1/2 | outer iters"
        + " | gradients | HVPs | time to target (s) |\n| --- | --- | --- | --- | --- | --- | ---"
        + " | --- | --- | --- | --- | --- |\n"
        : "| solver | setting | φ(x_T) | outer iters | gradients | HVPs | time to target (s)"
        + " |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    best.entrySet().stream().sorted(Comparator.comparingDouble(e -> median(e.getValue()
        .stream().mapToDouble(Comparison::selection).toArray()))).forEach(e -> {
          List<Run> runs = e.getValue();
          Run first = runs.get(0);
          md.append("| ").append(e.getKey()).append(" | ").append(first.setting().label())
              .append(" | ");
          if (runs.stream().anyMatch(r -> r.failure() != null)) {
            md.append(runs.stream().filter(r -> r.failure() != null).findFirst().get()
                .failure().replace('|', '/')).append(data ? " | | | | | | | | | |\n"
                : " | | | | |\n");
            return;
          }
          List<String> keys = data ? List.of("refit_val_loss", "refit_test_acc",
              "refit_lower_grad_norm", "final_val_loss", "final_test_acc", "final_weight_f1")
              : List.of("final_phi");
          for (String key : keys) {
            md.append(key.equals("refit_lower_grad_norm") ? String.format("%.1e",
                Arrays.stream(values(runs, key)).max().orElse(Double.NaN)) : cell(runs, key))
                .append(" | ");
          }
          md.append(String.format("%.0f | %.3g | %.3g | %s |%n",
              median(values(runs, "outer_iters")), median(values(runs, "oracle_calls")),
              median(values(runs, "second_order_calls")), timeToTarget(runs, target)));
        });
    md.append('\n');
    return md.toString();
  }

  private static double targetOf(Map<String, List<Run>> best) {
    double lowest = Double.POSITIVE_INFINITY;
    for (List<Run> runs : best.values()) {
      if (runs.stream().allMatch(r -> r.failure() == null)) {
        lowest = Math.min(lowest, median(runs.stream()
            .mapToDouble(r -> r.curve()[r.curve().length - 1]).toArray()));
      }
    }
    return lowest > 0 ? 1.2 * lowest : 0.8 * lowest;
  }

  private static String timeToTarget(List<Run> runs, double target) {
    double[] times = new double[runs.size()];
    for (int k = 0; k < runs.size(); k++) {
      Run run = runs.get(k);
      times[k] = Double.POSITIVE_INFINITY;
      for (int i = 0; i < run.curve().length; i++) {
        if (run.curve()[i] <= target) {
          times[k] = run.wall()[i];
          break;
        }
      }
    }
    double median = median(times);
    return Double.isFinite(median) ? String.format("%.1f", median) : "not reached";
  }

  private static String cell(List<Run> runs, String key) {
    double[] v = values(runs, key);
    if (v.length == 0) {
      return "";
    }
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return String.format("%.4f [%.4f, %.4f]", median(v), sorted[0], sorted[sorted.length - 1]);
  }

  static double[] values(List<Run> runs, String key) {
    return runs.stream().filter(r -> r.end().containsKey(key))
        .mapToDouble(r -> r.end().get(key)).toArray();
  }

  /**
   * Per solver, the median over seeds of the metric's curve against the axis, on a common grid
   * (solvers that did not log the metric left out).
   */
  private static Map<String, double[][]> curves(Map<String, List<Run>> best, String axis,
      String metric) {
    Map<String, double[][]> curves = new LinkedHashMap<>();
    best.forEach((solver, runs) -> {
      boolean other = OTHER_CURVES.containsKey(metric);
      if ((axis.equals("calls") && COUNTS_SAMPLES.contains(solver))
          || runs.stream().anyMatch(r -> r.failure() != null
          || (other && !r.others().containsKey(metric)))) {
        return;
      }
      double end = runs.stream().mapToDouble(r -> last(axis.equals("wall") ? r.wall()
          : r.calls())).min().orElse(0);
      int points = 60;
      double[][] xy = new double[2][points];
      for (int p = 0; p < points; p++) {
        double at = end * p / (points - 1);
        double[] values = new double[runs.size()];
        for (int k = 0; k < runs.size(); k++) {
          Run r = runs.get(k);
          values[k] = valueAt(axis.equals("wall") ? r.wall() : r.calls(),
              other ? r.others().get(metric) : r.curve(), at);
        }
        xy[0][p] = at;
        xy[1][p] = median(values);
      }
      curves.put(solver, xy);
    });
    return curves;
  }

  /** The curve's last value at or before {@code at} (its first value before that). */
  private static double valueAt(double[] axis, double[] curve, double at) {
    double value = curve[0];
    for (int i = 0; i < axis.length && axis[i] <= at; i++) {
      value = curve[i];
    }
    return value;
  }

  private static double last(double[] v) {
    return v.length == 0 ? 0 : v[v.length - 1];
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
