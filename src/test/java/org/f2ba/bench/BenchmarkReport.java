package org.f2ba.bench;

import java.util.List;
import java.util.Map;

/** Renders the benchmark's figures, with the targets they are held to, as Markdown. */
final class BenchmarkReport {
  private BenchmarkReport() {
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    Map<String, Object> machine = (Map<String, Object>) r.get("machine");
    Map<String, Object> step = (Map<String, Object>) r.get("full_batch_fused_inner_step");
    Map<String, Object> ml = (Map<String, Object>) r.get("spark_ml_logistic_regression");
    List<Map<String, Object>> mini = (List<Map<String, Object>>) r.get("mini_batch_inner_step");
    List<Map<String, Object>> e2e = (List<Map<String, Object>>) r.get("end_to_end");
    Map<String, Object> memory = (Map<String, Object>) r.get("memory");
    StringBuilder md = new StringBuilder();
    md.append("# Engine benchmark\n\n")
        .append("Data hyper-cleaning on Fashion-MNIST: 50,000 training and 10,000 validation ")
        .append("samples (784 features + bias, 10 classes), the model of ")
        .append("`conf/hyperclean-fashion-mnist.conf`. Regenerate with ")
        .append("`submit-scripts/benchmark.sh`; the figures below come from one run of it, ")
        .append("also in `engine-benchmark.json`.\n\n")
        .append("Machine: ").append(machine.get("cores")).append(" cores (")
        .append(machine.get("cpu")).append("), ").append(machine.get("jvm"))
        .append(", max heap ").append(mb(machine.get("max_heap_bytes"))).append(", BLAS ")
        .append(machine.get("blas")).append("; Spark ").append(machine.get("spark_master"))
        .append("; ").append(machine.get("repetitions")).append(".\n\n");

    md.append("## Targets\n\n| target | measured | |\n| --- | --- | --- |\n");
    target(md, "full-batch fused inner step, Spark ≤ 1.25 × in-process",
        num(step.get("spark_over_in_process")), 1.25, true);
    double emptyJob = num(r.get("empty_spark_job_ms"));
    double limit = num(step.get("blas_limit_ms"));
    target(md, "full-batch fused inner step, Spark ≤ 1.3 × BLAS limit (" + step.get("blas_limit")
        + ")", num(step.get("spark_over_blas_limit")), 1.3, true, String.format(
            "; the limit plus one empty Spark job alone is %.2f × the limit",
            (limit + emptyJob) / limit));
    target(md, "per gradient evaluation, ≥ 5 × faster than Spark ML",
        num(ml.get("speedup")), 5, false);
    for (Map<String, Object> row : mini) {
      target(md, "Spark overhead per mini-batch inner step ≤ 1.3 × an empty job (B = "
          + row.get("batch_per_level") + ")", num(row.get("overhead_ms")) / emptyJob, 1.3,
          true);
    }
    for (Map<String, Object> row : e2e) {
      if ("full".equals(row.get("batch_per_level"))) {
        target(md, "conf/hyperclean-fashion-mnist.conf, s per outer iteration ≤ 0.55",
            num(row.get("seconds_per_outer_iteration")), 0.55, true);
      }
    }
    target(md, "cached data ≤ 1.1 × raw float32", num(memory.get("cached_over_raw_float32")),
        1.1, true);

    md.append("\n## 1. Full-batch fused inner step\n\n")
        .append("One inner step computes ∇y g(x, z), ∇y f(x, y) and ∇y g(x, y) over all ")
        .append("samples: ").append(f(step.get("gflop_per_step"), 2))
        .append(" GFLOP of matrix products.\n\n| engine | ms per step |\n| --- | ---: |\n")
        .append("| Spark local[2] | ").append(f(step.get("spark_ms"), 1)).append(" |\n")
        .append("| in-process, same shards and cores | ").append(f(step.get("in_process_ms"), 1))
        .append(" |\n| in-process, pure-Java BLAS, single precision | ")
        .append(f(step.get("in_process_java_single_ms"), 1))
        .append(" |\n| in-process, pure-Java BLAS, double precision | ")
        .append(f(step.get("in_process_java_double_ms"), 1))
        .append(" |\n| BLAS limit: the same products, ").append(step.get("blas_limit"))
        .append(" | ").append(f(step.get("blas_limit_ms"), 1))
        .append(" |\n| the same, pure-Java sgemm | ").append(f(step.get("java_sgemm_limit_ms"), 1))
        .append(" |\n| the same, pure-Java dgemm on the values widened to double | ")
        .append(f(step.get("java_dgemm_limit_ms"), 1)).append(" |\n\n")
        .append("Spark sustains ").append(f(step.get("spark_gflops"), 1))
        .append(" GFLOP/s. Its median step splits into (ms): ")
        .append(splits((Map<String, Object>) step.get("spark_breakdown")))
        .append(".\n\nWhere the time goes (JFR execution samples of the Spark runs, ")
        .append("top frames):\n\n");
    for (String frame : (List<String>) step.get("profile_top_frames")) {
      md.append("- ").append(frame).append('\n');
    }
    md.append("\n### Against Spark ML\n\n| | ms per gradient over ").append(ml.get("rows"))
        .append(" rows |\n| --- | ---: |\n| Spark ML LogisticRegression (multinomial) | ")
        .append(f(ml.get("spark_ml_ms_per_gradient"), 1)).append(" |\n| f2ba Spark engine | ")
        .append(f(ml.get("f2ba_spark_ms_per_gradient"), 1)).append(" |\n\nSpark ML: ")
        .append(ml.get("spark_ml_method")).append(".\n");

    md.append("\n## 2. Mini-batch inner step\n\nB samples per level and step; times in ms.\n\n")
        .append("| B | Spark | in-process | overhead | scheduling | task deserialize |")
        .append(" task run (slowest) | result transfer | driver side |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> row : mini) {
      md.append("| ").append(row.get("batch_per_level"));
      for (String k : List.of("spark_ms", "in_process_ms", "overhead_ms", "scheduling_ms",
          "task_deserialize_ms", "task_run_ms", "result_transfer_ms", "driver_side_ms")) {
        md.append(" | ").append(f(row.get(k), 1));
      }
      md.append(" |\n");
    }
    md.append("\nFor scale: an empty Spark job (map and collect over two cached partitions) ")
        .append("takes ").append(f(r.get("empty_spark_job_ms"), 1))
        .append(" ms on this machine, in the same run.\n");
    md.append("\nScheduling: job submission to first task launch. Result transfer: result ")
        .append("serialization plus last task end to job end. Driver side: the step's wall ")
        .append("time less the job's, i.e. broadcasting x, y, z, adding partition results ")
        .append("and the driver's updates.\n");

    md.append("\n## 3. End to end\n\n`conf/hyperclean-fashion-mnist.conf` (K = 10), Spark ")
        .append("local[2].\n\n| batch per level | outer iterations | s per outer iteration |")
        .append(" final test accuracy | s to test accuracy 0.80 |\n")
        .append("| --- | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> row : e2e) {
      md.append("| ").append(row.get("batch_per_level")).append(" | ")
          .append(row.get("outer_iterations")).append(" | ")
          .append(f(row.get("seconds_per_outer_iteration"), 2)).append(" | ")
          .append(f(row.get("final_test_acc"), 4)).append(" | ")
          .append(row.get("seconds_to_test_acc_0.80") == null ? "not reached"
              : f(row.get("seconds_to_test_acc_0.80"), 1)).append(" |\n");
    }
    md.append("\n## 4. Memory\n\n| | |\n| --- | ---: |\n| cached shards | ")
        .append(mb(memory.get("cached_bytes"))).append(" |\n| raw float32 size of the")
        .append(" features | ").append(mb(memory.get("raw_float32_bytes")))
        .append(" |\n| ratio | ").append(f(memory.get("cached_over_raw_float32"), 3))
        .append(" |\n| heap peak | ").append(mb(memory.get("heap_peak_bytes")))
        .append(" |\n\n").append(memory.get("heap_note")).append(".\n");
    List<String> notes = (List<String>) r.get("notes");
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static String splits(Map<String, Object> b) {
    StringBuilder s = new StringBuilder();
    for (String k : List.of("scheduling_ms", "task_deserialize_ms", "task_run_ms",
        "result_transfer_ms", "driver_side_ms")) {
      s.append(s.length() == 0 ? "" : ", ").append(k.replace("_ms", "").replace('_', ' '))
          .append(' ').append(f(b.get(k), 1));
    }
    return s.toString();
  }

  private static void target(StringBuilder md, String name, double value, double bound,
      boolean atMost) {
    target(md, name, value, bound, atMost, "");
  }

  /** A row of the targets' table, with {@code note} after whether it was met. */
  private static void target(StringBuilder md, String name, double value, double bound,
      boolean atMost, String note) {
    boolean met = atMost ? value <= bound : value >= bound;
    String by = met ? "met" : String.format("missed by %.2f×", atMost ? value / bound
        : bound / value);
    md.append("| ").append(name).append(" | ").append(f(value, 2)).append(" | ").append(by)
        .append(note).append(" |\n");
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private static String f(Object o, int digits) {
    return String.format("%." + digits + "f", num(o));
  }

  private static String mb(Object bytes) {
    return String.format("%.1f MB", num(bytes) / 1e6);
  }
}
