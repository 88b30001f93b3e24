package org.f2ba.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.f2ba.bench.Comparison.Problem;
import org.f2ba.bench.Comparison.Run;
import org.f2ba.bench.Comparison.Setting;
import org.f2ba.data.LibsvmFiles;

/**
 * The protocol of Table 2 of the companion paper (Section 7.1): adversarial training by least
 * squares, every solver of the project for 500 outer iterations of 10 inner steps, its learning
 * rates tuned over {1e2, 1e1, ..., 1e-5} (BOME's η over {0.9, 0.5, 0.1} and IGFM's θ over
 * {1e-1, 1e-2, 1e-3} besides), φ(x_T) in closed form compared as mean ± std over seeds (which
 * draw the samples M weighs). The step sizes are tuned on the first seed, then the tuned setting
 * runs on every seed. On the shipped diabetes data, on LIBSVM's abalone (the paper's) where
 * data/abalone/abalone holds it, and on any LIBSVM regression file named.
 */
final class Table2 {
  private static final List<String> RATES = List.of("100", "10", "1", "0.1", "0.01", "0.001",
      "1e-4", "1e-5");
  private static final long[] SEEDS = {1, 2, 3, 4, 5};
  private static final String ABALONE = "data/abalone/abalone";

  /** The paper's Table 2 (abalone, MSE mean ± std), by the project's solver names. */
  private static final Map<String, String> PAPER = Map.of(
      "aid-cg", "1.781 ± 0.418 (AID)", "itd", "0.982 ± 0.015 (ITD)",
      "bome", "0.999 ± 0.140 (BOME)", "igfm", "0.936 ± 0.015 (IGFM)");

  private Table2() {
  }

  /**
   * The shipped diabetes data, abalone where it is, and each LIBSVM regression file of
   * {@code files}, given as FILE:FEATURES (all its rows).
   */
  static List<Problem> problems(List<String> files) {
    List<Problem> problems = new ArrayList<>();
    problems.add(new Problem("table2-diabetes", "Table 2 protocol, adversarial training (diabetes,"
        + " 442 samples)", List.of("conf/adversarial-diabetes.conf"), "phi", 0, 500));
    List<String> all = new ArrayList<>(files);
    if (Files.exists(Path.of(ABALONE))) {
      all.add(0, ABALONE + ":8");
    }
    for (String spec : all) {
      int colon = spec.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(spec + ": give a LIBSVM file as FILE:FEATURES");
      }
      String file = spec.substring(0, colon);
      int features = Integer.parseInt(spec.substring(colon + 1));
      int rows = LibsvmFiles.load(file, features, 0, 0).rows();
      String name = Path.of(file).getFileName().toString().replaceAll("\\..*$", "")
          .replaceAll("[^A-Za-z0-9-]+", "-");
      problems.add(new Problem("table2-" + name, "Table 2 protocol, adversarial training ("
          + name + ", " + rows + " samples)", List.of("conf/adversarial-diabetes.conf",
              "data.libsvm.train-file=" + file, "data.libsvm.num-features=" + features,
              "data.train-size=" + rows), "phi", 0, 500));
    }
    return problems;
  }

  /** Every solver with every pair of rates (outer, inner) and its own extra grid. */
  static List<Setting> settings() {
    List<Setting> s = new ArrayList<>();
    for (String outer : RATES) {
      for (String inner : RATES) {
        s.add(new Setting("f2ba", List.of("eta=" + outer, "tau=" + inner, "K=10")));
        s.add(new Setting("accf2ba", List.of("eta=" + outer, "tau=" + inner, "K=10")));
        s.add(new Setting("aid-cg", List.of("eta=" + outer, "alpha=" + inner, "K=10")));
        s.add(new Setting("aid-neumann", List.of("eta=" + outer, "alpha=" + inner, "K=10",
            "beta=" + inner)));
        s.add(new Setting("itd", List.of("eta=" + outer, "alpha=" + inner, "K=10")));
        s.add(new Setting("f2sa", List.of("gamma=" + outer, "beta=" + inner,
            "alpha=" + Comparison.threeDigits(Double.parseDouble(inner) / 10), "K=10",
            "decay=false")));
        for (String eta : List.of("0.9", "0.5", "0.1")) {
          s.add(new Setting("bome", List.of("alpha=" + outer, "beta=" + inner, "eta=" + eta,
              "K=10")));
        }
        for (String theta : List.of("0.1", "0.01", "0.001")) {
          s.add(new Setting("igfm", List.of("eta=" + outer, "tau=" + inner, "theta=" + theta,
              "delta=1e-3", "K0=10", "K=10")));
        }
      }
      s.add(new Setting("soba", List.of("step=" + outer, "decay=false")));
      s.add(new Setting("saba", List.of("step=" + outer)));
    }
    return s;
  }

  /** Runs the protocol on every problem; writes table2.md and one JSON per problem. */
  static void run(Path out, Path runs, List<String> files) throws Exception {
    StringBuilder md = new StringBuilder("## Table 2 protocol\n\n");
    for (Problem problem : problems(files)) {
      List<Run> tuning = new ArrayList<>();
      for (Setting setting : settings()) {
        tuning.add(Comparison.run(problem, setting, SEEDS[0], runs));
      }
      Map<String, List<Run>> best = new LinkedHashMap<>();
      for (Map.Entry<String, List<Run>> tuned : Comparison.selectBest(tuning, problem)
          .entrySet()) {
        Setting setting = tuned.getValue().get(0).setting();
        List<Run> all = new ArrayList<>(tuned.getValue());
        for (int k = 1; k < SEEDS.length; k++) {
          all.add(Comparison.run(problem, setting, SEEDS[k], runs));
        }
        best.put(tuned.getKey(), all);
        System.err.printf("%s %s: %s%n", problem.name(), tuned.getKey(), setting.label());
      }
      md.append(table(problem, best));
      List<Run> everyRun = new ArrayList<>(tuning);
      best.values().forEach(r -> everyRun.addAll(r.subList(1, r.size())));
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
          out.resolve(problem.name() + ".json").toFile(),
          Comparison.describe(problem, everyRun, best));
    }
    Files.writeString(out.resolve("table2.md"), md.toString());
  }

  /** φ(x_T) mean ± std over the seeds per solver, best first, beside the paper's. */
  private static String table(Problem problem, Map<String, List<Run>> best) {
    StringBuilder md = new StringBuilder("### ").append(problem.title()).append("\n\n")
        .append("| solver | tuned setting | φ(x_T), mean ± std over ").append(SEEDS.length)
        .append(" seeds | φ(x_T) − min φ, mean ± std | failed seeds | paper, abalone (MSE) |\n"
            + "| --- | --- | --- | --- | --- | --- |\n");
    best.entrySet().stream().sorted(Comparator.comparingDouble(e -> mean(e.getValue())))
        .forEach(e -> {
          List<Run> runs = e.getValue();
          double[] phi = Comparison.values(runs, "final_phi");
          double[] gap = Comparison.values(runs, "final_phi_gap");
          md.append("| ").append(e.getKey()).append(" | ")
              .append(runs.get(0).setting().label()).append(" | ")
              .append(phi.length == 0 ? "all failed: " + runs.get(0).failure().replace('|', '/')
                  + " |" : String.format("%.4f ± %.4f | %.5f ± %.5f", mean(phi), std(phi),
                      mean(gap), std(gap))).append(" | ")
              .append(runs.size() - phi.length).append(" | ")
              .append(PAPER.getOrDefault(e.getKey(), "")).append(" |\n");
        });
    return md.append('\n').toString();
  }

  private static double mean(List<Run> runs) {
    double[] phi = Comparison.values(runs, "final_phi");
    return phi.length == 0 ? Double.POSITIVE_INFINITY : mean(phi);
  }


  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** The sample standard deviation (0 for one value). */
  private static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double squares = 0;
    for (double a : v) {
      squares += (a - m) * (a - m);
    }
    return Math.sqrt(squares / (v.length - 1));
  }
}
