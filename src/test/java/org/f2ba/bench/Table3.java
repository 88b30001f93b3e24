package org.f2ba.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.f2ba.bench.Comparison.Problem;
import org.f2ba.bench.Comparison.Run;
import org.f2ba.bench.Comparison.Setting;

/**
 * The protocol of Table 3 of the companion paper (Section 7.2) on the full Fashion-MNIST: scalar
 * regularization tuning, 40k training samples whose labels are random with probability p, 20k
 * validation, 10k test, 100 outer iterations of 10 inner steps for every solver, test accuracy
 * compared with the paper's (which is on MNIST), as the paper reports it: at the solver's own y
 * after the last outer iteration. One step-size setting per solver, one seed, no refit: what a
 * 2-core machine affords (a refit of this lower level takes about as long as the run).
 */
final class Table3 {
  private static final List<String> NOISE = List.of("0.5", "0.3", "0.1");
  private static final String INNER = "0.075";
  private static final String OUTER = "30";

  /** The paper's Table 3 (MNIST, test accuracy %), for p = 0.5, 0.3, 0.1. */
  private static final Map<String, String> PAPER = Map.of(
      "aid-cg", "75.8, 87.5, 91.3 (AID)", "itd", "75.8, 87.5, 91.3 (ITD)",
      "bome", "86.7, 88.9, 89.3 (BOME)");

  private Table3() {
  }

  static List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    for (String p : NOISE) {
      problems.add(new Problem("table3-p" + p, "Table 3 protocol, scalar regularization tuning"
          + " (Fashion-MNIST 40k/20k/10k, p = " + p + ")", List.of(
              "conf/regtune-fashion-mnist.conf", "engine=local", "regtune.granularity=scalar",
              "regtune.initial-log-strength=-8", "data.label-noise=" + p,
              "solver.batch.lower=full", "solver.batch.upper=full",
              "diagnostics.refit=false"),
          "val_loss", 0, 100));
    }
    return problems;
  }

  /** One setting per solver: 10 inner steps of size 0.075, outer step 30 where there is one. */
  static List<Setting> settings() {
    double ratio = Double.parseDouble(INNER) / Double.parseDouble(OUTER);
    return List.of(
        new Setting("f2ba", List.of("eta=" + OUTER, "tau=" + INNER, "K=10", "sigma=0.1")),
        new Setting("accf2ba", List.of("eta=" + OUTER, "tau=" + INNER, "K=10", "sigma=0.1",
            "momentum=0.5", "outer-momentum=0.5")),
        new Setting("aid-cg", List.of("eta=" + OUTER, "alpha=" + INNER, "K=10")),
        new Setting("aid-neumann", List.of("eta=" + OUTER, "alpha=" + INNER, "K=10",
            "beta=" + INNER)),
        new Setting("itd", List.of("eta=" + OUTER, "alpha=" + INNER, "K=10")),
        new Setting("soba", List.of("step=" + INNER, "ratio=" + ratio, "decay=false")),
        new Setting("f2sa", List.of("alpha=" + Double.parseDouble(INNER) / 10, "beta=" + INNER,
            "gamma=" + OUTER, "lambda0=10", "lambda-step=1", "lambda-max=100", "K=10")),
        new Setting("bome", List.of("alpha=0.01", "ratio=" + 0.01 / Double.parseDouble(OUTER),
            "beta=" + INNER, "K=10")),
        // 13 values of x, each solved from its neighbour's model by up to 230 steps: about the
        // gradients of 100 outer iterations of F²BA.
        new Setting("grid", List.of("from=-9", "to=-3", "points=13", "alpha=" + INNER,
            "max-steps=230")));
  }

  /** The test accuracy and validation loss of every solver at every p, beside the paper's. */
  static String markdown(Map<String, Map<String, List<Run>>> byProblem) {
    StringBuilder md = new StringBuilder("## Table 3 protocol\n\n");
    md.append("Scalar regularization tuning on the full Fashion-MNIST (40k noisy training,")
        .append(" 20k validation, 10k test samples), x₀ = −8, 100 outer iterations of 10 inner")
        .append(" steps (SOBA: 100 single-loop steps; grid search: 13 points, up to 230 steps")
        .append(" each), inner step ").append(INNER).append(", outer step ").append(OUTER)
        .append(", one seed, in process on 2 cores. Test accuracy (%) and validation loss at")
        .append(" the solver's own (x_T, y_T), as the paper reports it; no refit.\n\n| solver |");
    for (String p : NOISE) {
      md.append(" p = ").append(p).append(": test % | val loss |");
    }
    md.append(" paper, MNIST (p = 0.5, 0.3, 0.1) |\n| --- |");
    md.append(" --- | --- |".repeat(NOISE.size())).append(" --- |\n");
    TreeSet<String> solvers = new TreeSet<>();
    byProblem.values().forEach(best -> solvers.addAll(best.keySet()));
    for (String solver : solvers) {
      md.append("| ").append(solver).append(" |");
      for (String p : NOISE) {
        List<Run> runs = byProblem.getOrDefault("table3-p" + p, Map.of()).get(solver);
        Run run = runs == null ? null : runs.get(0);
        if (run == null || run.failure() != null) {
          md.append(run == null ? " not run" : " " + run.failure().replace('|', '/'))
              .append(" | |");
          continue;
        }
        md.append(String.format(" %.1f | %.4f |", 100 * run.end().get("final_test_acc"),
            run.end().get("final_val_loss")));
      }
      md.append(' ').append(PAPER.getOrDefault(solver, "")).append(" |\n");
    }
    return md.append('\n').toString();
  }
}
