package org.f2ba.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.f2ba.bench.Comparison.Problem;
import org.f2ba.bench.Comparison.Run;
import org.f2ba.bench.Comparison.Setting;

/**
 * The network against the linear model on the full Fashion-MNIST: data hyper-cleaning and
 * regularization tuning (scalar strength) by F²BA with each config's own settings, the same
 * outer iterations (and the linear model for about the network's wall-clock time), one seed;
 * the test accuracy, the clean-row F1 and the validation loss at the solver's own y (no refit:
 * a network's lower level is not convex), and the seconds per outer iteration. Writes
 * network.md and network.json.
 */
final class NetworkVsLinear {
  private static final String HYPERCLEAN = "conf/hyperclean-fashion-mnist.conf";
  private static final String HYPERCLEAN_NET = "conf/hyperclean-fashion-mnist-network.conf";
  private static final String REGTUNE = "conf/regtune-fashion-mnist.conf";
  private static final String REGTUNE_NET = "conf/regtune-fashion-mnist-network.conf";
  /** As the configs have it. */
  private static final int OUTER_ITERATIONS = 30;

  private NetworkVsLinear() {
  }

  /**
   * A model to compare: its label, the config and keys that run it, and its outer iterations.
   */
  private record Variant(String label, String config, List<String> keys, int iterations) {
    Variant(String label, String config, List<String> keys) {
      this(label, config, keys, OUTER_ITERATIONS);
    }

    Problem problem(String task) {
      List<String> args = new ArrayList<>(List.of(config, "diagnostics.refit=false"));
      args.addAll(keys);
      String name = (task + "-" + label).replaceAll("[^A-Za-z0-9]+", "-")
          .replaceAll("-+$", "").toLowerCase(Locale.ROOT);
      return new Problem(name, task + ", " + label, args, "val_loss", 0, iterations);
    }
  }

  private static Map<String, List<Variant>> variants() {
    Map<String, List<Variant>> variants = new LinkedHashMap<>();
    variants.put("hyper-cleaning", List.of(
        new Variant("linear", HYPERCLEAN, List.of()),
        new Variant("linear, 100 outer iterations", HYPERCLEAN, List.of(), 100),
        new Variant("network, 64 ReLU units", HYPERCLEAN_NET, List.of()),
        new Variant("network, 64 GELU units", HYPERCLEAN_NET,
            List.of("model.network.activation=gelu")),
        new Variant("network, 128 ReLU units", HYPERCLEAN_NET,
            List.of("model.network.hidden-units=128"))));
    variants.put("regularization tuning (scalar)", List.of(
        new Variant("linear", REGTUNE, List.of("regtune.granularity=scalar",
            "solver.batch.lower=full", "solver.batch.upper=full")),
        new Variant("network, 64 ReLU units", REGTUNE_NET, List.of())));
    return variants;
  }

  static void run(Path out, Path runs) throws Exception {
    StringBuilder md = new StringBuilder("| task | model | test accuracy | clean-row F1 |"
        + " validation loss | s / outer iteration | outer iterations |\n"
        + "|---|---|---|---|---|---|---|\n");
    Map<String, Object> json = new LinkedHashMap<>();
    for (Map.Entry<String, List<Variant>> task : variants().entrySet()) {
      for (Variant variant : task.getValue()) {
        Problem problem = variant.problem(task.getKey());
        Run run = Comparison.run(problem, new Setting("f2ba", List.of()), 1, runs);
        if (run.failure() != null) {
          throw new IllegalStateException(problem.name() + ": " + run.failure());
        }
        Map<String, Double> end = run.end();
        double perOuter = end.get("wall_s") / end.get("outer_iters");
        md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %s | %.4f | %.2f | %.0f |%n",
            task.getKey(), variant.label(), end.get("final_test_acc"),
            end.containsKey("final_weight_f1")
                ? String.format(Locale.ROOT, "%.4f", end.get("final_weight_f1")) : "—",
            end.get("final_val_loss"), perOuter, end.get("outer_iters")));
        Map<String, Object> entry = new LinkedHashMap<>(end);
        entry.put("seconds_per_outer_iteration", perOuter);
        entry.put("args", problem.args());
        json.put(problem.name(), entry);
        System.err.printf("%s: done%n", problem.name());
      }
    }
    Files.writeString(out.resolve("network.md"), md.toString());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
        out.resolve("network.json").toFile(), json);
  }
}
