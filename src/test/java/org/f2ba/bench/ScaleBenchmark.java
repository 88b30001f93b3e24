package org.f2ba.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost and memory against the number of rows, on synthetic rows that the executors generate
 * where they cache them (conf/synthetic-scale.conf): seconds per outer iteration, the driver's
 * heap peak and the bytes of the cached blocks, in local[2] (one JVM holds everything) and on
 * the standalone cluster of submit-scripts/cluster.sh (the driver and two executors, each a JVM
 * of its own). Not a test: submit-scripts/scale.sh runs it and writes scale.md and scale.json.
 */
public final class ScaleBenchmark {
  private static final int OUTER_ITERATIONS = 3;
  private static final int FEATURES = 784;
  /**
   * Two a core: Spark caches a partition only if it can unroll it within the executor's storage
   * memory (60% of the heap, less 300 MB) with room to grow it by half again, so a 6 GB executor
   * caches partitions of up to about 2.2 GB.
   */
  private static final int PARTITIONS = 4;
  private static final Path RUNS = Path.of("target", "scale-runs").toAbsolutePath();
  private static final Path CLUSTER = Path.of("target", "scale-cluster").toAbsolutePath();

  private ScaleBenchmark() {
  }

  /** Arguments: the output directory, then the training rows of each run. */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/benchmarks");
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    if (sizes.isEmpty()) {
      // The largest whose cached blocks (5 GB) fit the two executors' storage memory.
      sizes.addAll(List.of(60_000, 200_000, 600_000, 1_200_000));
    }
    Files.createDirectories(RUNS);
    List<Map<String, Object>> rows = new ArrayList<>();
    run(List.of("bash", "submit-scripts/cluster.sh", "start"), RUNS.resolve("cluster.log"));
    try {
      for (int n : sizes) {
        rows.add(measure("cluster", n));
      }
    } finally {
      run(List.of("bash", "submit-scripts/cluster.sh", "stop"), RUNS.resolve("cluster.log"));
    }
    for (int n : sizes) {
      rows.add(measure("local[2]", n));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("config", "conf/synthetic-scale.conf");
    report.put("outer_iterations", OUTER_ITERATIONS);
    report.put("runs", rows);
    Map<String, Double> slopes = new LinkedHashMap<>();
    for (String mode : List.of("cluster", "local[2]")) {
      slopes.put(mode, slope(rows.stream().filter(r -> r.get("mode").equals(mode)).toList()));
    }
    report.put("log_log_slope_of_seconds_against_rows", slopes);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(
        out.resolve("scale.json").toFile(), report);
    Files.writeString(out.resolve("scale.md"), markdown(rows, slopes));
  }

  /**
   * One run of the config with {@code trainRows} training rows, and a sixth of that each for
   * validation and test.
   */
  private static Map<String, Object> measure(String mode, int trainRows) throws Exception {
    String name = (mode.equals("cluster") ? "cluster-" : "local-") + trainRows;
    Path dir = RUNS.resolve(name);
    List<String> args = List.of("conf/synthetic-scale.conf", "data.train-size=" + trainRows,
        "data.val-size=" + trainRows / 6, "data.test-size=" + trainRows / 6,
        "solver.T=" + OUTER_ITERATIONS, "spark.partitions=" + PARTITIONS, "output.dir=" + dir);
    List<String> command = new ArrayList<>(mode.equals("cluster")
        ? List.of("bash", "submit-scripts/cluster.sh", "submit")
        : List.of("bash", "submit-scripts/run-local.sh"));
    command.addAll(args);
    run(command, RUNS.resolve(name + ".log"));
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
    List<String> header = List.of(metrics.get(0).split(","));
    int wallColumn = header.indexOf("wall_s");
    double first = Double.parseDouble(metrics.get(2).split(",")[wallColumn]);
    double last = Double.parseDouble(metrics.get(metrics.size() - 1).split(",")[wallColumn]);
    long total = trainRows + 2L * (trainRows / 6);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("mode", mode);
    row.put("train_rows", trainRows);
    row.put("total_rows", total);
    // From the end of the first outer iteration: the first also warms up the JIT.
    row.put("seconds_per_outer_iteration", (last - first) / (OUTER_ITERATIONS - 1));
    row.put("driver_heap_peak_bytes", summary.get("driver_heap_peak_bytes").asLong());
    row.put("cached_bytes", summary.get("data_cached_bytes").asLong());
    row.put("raw_float32_bytes", 4L * total * (FEATURES + 1));
    row.put("final_test_acc", summary.get("final").get("test_acc").asDouble());
    return row;
  }

  private static void run(List<String> command, Path log) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("CLUSTER_DIR", CLUSTER.toString());
    builder.environment().put("MASTER_PORT", "7277");
    builder.environment().put("WORKER_MEMORY", "7g");
    builder.environment().put("EXECUTOR_MEMORY", "6g");
    builder.environment().put("DRIVER_MEMORY", "2g");
    builder.environment().put("JAVA_OPTS", "-Xmx16g");
    int code = builder.start().waitFor();
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + code
          + "; see " + log);
    }
  }

  /** The least-squares slope of log seconds against log rows. */
  private static double slope(List<Map<String, Object>> rows) {
    double n = rows.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Map<String, Object> r : rows) {
      double x = Math.log(((Number) r.get("total_rows")).doubleValue());
      double y = Math.log((Double) r.get("seconds_per_outer_iteration"));
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  private static String markdown(List<Map<String, Object>> rows, Map<String, Double> slopes) {
    StringBuilder md = new StringBuilder("# Scale: cost and memory against rows\n\n");
    md.append("Generated by `submit-scripts/scale.sh` (conf/synthetic-scale.conf: regularization"
        + " tuning, one strength per class, F²BA with K = 10 and full batches; rows generated by"
        + " the executors, 784 features, 10 classes; validation and test sets a sixth of the"
        + " training rows each; ").append(OUTER_ITERATIONS).append(" outer iterations, the"
        + " seconds per outer iteration measured after the first; ").append(PARTITIONS).append(
        " partitions). Cluster: the standalone"
        + " cluster of `submit-scripts/cluster.sh`, two workers of one core, executors of 6 GB,"
        + " a driver of 2 GB. local[2]: one JVM of 16 GB, whose heap holds the cached blocks"
        + " too.\n\n");
    md.append("| mode | training rows | all rows | s per outer iteration | driver heap peak (MB)"
        + " | cached blocks (MB) | raw float32 (MB) | cached / raw | test acc |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> r : rows) {
      long cached = (Long) r.get("cached_bytes");
      long raw = (Long) r.get("raw_float32_bytes");
      md.append(String.format("| %s | %,d | %,d | %.2f | %.0f | %s | %.0f | %s | %.4f |%n",
          r.get("mode"), r.get("train_rows"), r.get("total_rows"),
          r.get("seconds_per_outer_iteration"),
          ((Long) r.get("driver_heap_peak_bytes")) / 1e6,
          cached == 0 ? "–" : String.format("%.0f", cached / 1e6), raw / 1e6,
          cached == 0 ? "–" : String.format("%.3f", (double) cached / raw),
          r.get("final_test_acc")));
    }
    md.append("\nLog–log slope of the seconds per outer iteration against all rows (least"
        + " squares): ");
    slopes.forEach((mode, s) -> md.append(String.format("%s %.2f; ", mode, s)));
    md.setLength(md.length() - 2);
    md.append(".\n");
    return md.toString();
  }
}
