package org.f2ba.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.app.BilevelRun;
import org.f2ba.app.Checkpointing;
import org.f2ba.app.DiagnosticSettings;
import org.f2ba.app.Experiment;
import org.f2ba.app.Experiments;
import org.f2ba.app.HeapUse;
import org.f2ba.app.RunConfig;
import org.f2ba.app.RunOutput;
import org.f2ba.app.SolverSettings;
import org.f2ba.app.StopSignals;
import org.f2ba.data.DataBlock;
import org.f2ba.data.LabeledData;
import org.f2ba.data.RangeRows;
import org.f2ba.data.Rows;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.Draw;
import org.f2ba.engine.Evaluation;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.LossRequest;
import org.f2ba.engine.Shard;
import org.f2ba.engine.Sharding;
import org.f2ba.engine.SparkEngine;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.Blas;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.F2ba;

/**
 * The benchmark harness (not a test): measures the engines on data hyper-cleaning over full
 * Fashion-MNIST and writes docs/benchmarks/engine-benchmark.{md,json}. Every figure is the median
 * of several repetitions after warm-up, measured in this one run on this machine.
 * Run it with submit-scripts/benchmark.sh.
 */
public final class EngineBenchmark {
  private static final int PARTITIONS = 2;
  /**
   * Repetitions before the timed ones: a Spark step takes about 30 of them to settle (its code
   * paths compiled), the pure-Java BLAS about as many.
   */
  private static final int WARMUP = 30;
  private static final int REPS = 21;

  private final Map<String, Object> report = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final String dataDir;

  private EngineBenchmark(String dataDir) {
    this.dataDir = dataDir;
  }

  public static void main(String[] args) throws Exception {
    String dataDir = args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
    Path out = Path.of(args.length > 1 ? args[1] : "docs/benchmarks");
    new EngineBenchmark(dataDir).run(out);
  }

  private RunConfig config(String... overrides) {
    List<String> all = new ArrayList<>(List.of("data.dir=" + dataDir,
        "spark.partitions=" + PARTITIONS));
    all.addAll(List.of(overrides));
    return RunConfig.load("conf/hyperclean-fashion-mnist.conf", all);
  }

  private void run(Path out) throws Exception {
    report.put("machine", machine());
    SparkSession spark = SparkSession.builder().master("local[" + PARTITIONS + "]")
        .appName("f2ba-benchmark").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkJobRecorder recorder = new SparkJobRecorder();
    jsc.sc().addSparkListener(recorder);
    RunConfig config = config();
    Experiment experiment = Experiments.fromConfig(config);
    int blockRows = config.intAtLeast("data.block-rows", 1);
    List<Shard> shards = Sharding.split(experiment.dataOf(RangeRows.class), PARTITIONS, blockRows);
    try (SparkEngine sparkEngine = new SparkEngine(jsc, experiment.problem(), shards);
        LocalEngine localEngine = new LocalEngine(experiment.problem(), shards)) {
      fullBatchStep(experiment, sparkEngine, localEngine, recorder, blockRows);
      sparkMlComparison(spark, jsc, experiment, sparkEngine);
      miniBatchSteps(experiment, jsc, sparkEngine, localEngine, recorder);
      memory(sparkEngine, experiment);
    }
    endToEnd(jsc);
    report.put("notes", notes);
    spark.stop();
    write(out);
  }

  // Figure 1: the full-batch fused inner step, against the in-process engine and plain BLAS.
  private void fullBatchStep(Experiment experiment, SparkEngine sparkEngine,
      LocalEngine localEngine, SparkJobRecorder recorder, int blockRows) throws Exception {
    double[] x = experiment.x0();
    double[] y = experiment.y0();
    double[] z = y.clone();
    BilevelOracle spark = new BilevelOracle(experiment.problem(), sparkEngine, BatchSizes.FULL,
        1, Arithmetic.DEFAULT);
    BilevelOracle local = new BilevelOracle(experiment.problem(), localEngine, BatchSizes.FULL,
        1, Arithmetic.DEFAULT);
    Map<String, Object> fig = new LinkedHashMap<>();
    Map<String, Object> breakdown = breakdown(() -> F2ba.innerGradients(spark, x, y, z),
        () -> F2ba.innerGradients(local, x, y, z), recorder, WARMUP, REPS);
    // The in-process engine on the pure-Java BLAS, in each precision, for comparison.
    for (Arithmetic.Precision precision : Arithmetic.Precision.values()) {
      BilevelOracle java = new BilevelOracle(experiment.problem(), localEngine, BatchSizes.FULL,
          1, new Arithmetic(precision, Blas.Choice.JAVA));
      fig.put("in_process_java_" + precision.name().toLowerCase() + "_ms",
          medianMs(() -> F2ba.innerGradients(java, x, y, z), WARMUP, REPS));
    }
    // After the engines, so that the BLAS kernels are compiled as warm as theirs. The limit is
    // the fastest BLAS there is here: the native one where it is installed.
    boolean nativeBlas = Blas.nativeLibrary().file() != null;
    double blasMs = blasLimitMs(experiment, blockRows,
        nativeBlas ? NativeBLAS.getInstance() : JavaBLAS.getInstance(), true);
    fig.put("blas_limit", (nativeBlas ? "native " + Blas.nativeLibrary().vendor() : "pure-Java")
        + " sgemm on the float32 blocks, one thread a partition");
    fig.put("java_sgemm_limit_ms", blasLimitMs(experiment, blockRows, JavaBLAS.getInstance(),
        true));
    fig.put("java_dgemm_limit_ms", blasLimitMs(experiment, blockRows, JavaBLAS.getInstance(),
        false));
    double sparkMs = (Double) breakdown.get("spark_ms");
    double localMs = (Double) breakdown.get("in_process_ms");
    fig.put("spark_breakdown", breakdown);
    // The profile comes from separate repetitions: sampling slows what it samples.
    Path jfr = Files.createTempFile("f2ba-fused-step", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.start();
      medianMs(() -> F2ba.innerGradients(spark, x, y, z), 0, REPS);
      recording.stop();
      recording.dump(jfr);
    }
    fig.put("spark_ms", sparkMs);
    fig.put("in_process_ms", localMs);
    fig.put("blas_limit_ms", blasMs);
    fig.put("spark_over_in_process", sparkMs / localMs);
    fig.put("spark_over_blas_limit", sparkMs / blasMs);
    fig.put("gflop_per_step", stepFlops(experiment) / 1e9);
    fig.put("spark_gflops", stepFlops(experiment) / sparkMs / 1e6);
    fig.put("profile_top_frames", topFrames(jfr, 10));
    Files.deleteIfExists(jfr);
    report.put("full_batch_fused_inner_step", fig);
  }

  /** Multiply-adds of one full-batch inner step: forward and backward products, 2 flops each. */
  private static double stepFlops(Experiment e) {
    int classes = e.data().get(DataRole.LOWER).numClasses();
    int width = e.data().get(DataRole.LOWER).dim() + 1;
    double lowerRows = e.data().get(DataRole.LOWER).rows();
    double upperRows = e.data().get(DataRole.UPPER).rows();
    // lower level at z and at y, upper level at y; each a forward and a backward product
    return 2.0 * 2 * width * classes * (2 * lowerRows + upperRows);
  }

  /**
   * The arithmetic limit: the products of one fused inner step done directly with {@code blas}
   * on the same blocks, one thread per partition, in single precision on the float32 values or
   * in double on the values already widened, without the loss's own per-row work: per block,
   * logits and gradient of the lower level at z and y together (2 × classes columns) and of the
   * upper level at y (classes columns).
   */
  private double blasLimitMs(Experiment experiment, int blockRows, BLAS blas, boolean single)
      throws Exception {
    int classes = experiment.data().get(DataRole.LOWER).numClasses();
    int width = experiment.data().get(DataRole.LOWER).dim() + 1;
    List<List<DataBlock>> parts = new ArrayList<>();
    List<List<Integer>> columns = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      List<DataBlock> blocks = new ArrayList<>();
      List<Integer> cols = new ArrayList<>();
      for (DataRole role : List.of(DataRole.LOWER, DataRole.UPPER)) {
        RangeRows data = experiment.dataOf(RangeRows.class).get(role);
        int from = (int) ((long) data.rows() * p / PARTITIONS);
        int to = (int) ((long) data.rows() * (p + 1) / PARTITIONS);
        for (int r = from; r < to; r += blockRows) {
          blocks.add(data.block(r, Math.min(to, r + blockRows)));
          cols.add(role == DataRole.LOWER ? 2 * classes : classes);
        }
      }
      parts.add(blocks);
      columns.add(cols);
    }
    double[] w = new double[width * 2 * classes];
    Arrays.fill(w, 0.01);
    float[] wf = new float[w.length];
    Arrays.fill(wf, 0.01f);
    List<List<double[]>> doubles = new ArrayList<>();
    for (List<DataBlock> blocks : parts) {
      doubles.add(single ? List.of() : blocks.stream().map(EngineBenchmark::toDouble).toList());
    }
    ExecutorService pool = Executors.newFixedThreadPool(PARTITIONS);
    try {
      return medianMs(() -> {
        List<Future<?>> futures = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
          List<DataBlock> blocks = parts.get(p);
          List<Integer> cols = columns.get(p);
          List<double[]> widened = doubles.get(p);
          futures.add(pool.submit(() -> {
            float[] sf = new float[2 * classes * blockRows];
            float[] gf = new float[width * 2 * classes];
            double[] sd = new double[2 * classes * blockRows];
            double[] gd = new double[width * 2 * classes];
            for (int b = 0; b < blocks.size(); b++) {
              int c = cols.get(b);
              int m = blocks.get(b).rows();
              if (single) {
                float[] a = blocks.get(b).values();
                blas.sgemm("T", "N", c, m, width, 1f, wf, width, a, width, 0f, sf, c);
                blas.sgemm("N", "T", width, c, m, 1f, a, width, sf, c, 1f, gf, width);
              } else {
                double[] a = widened.get(b);
                blas.dgemm("T", "N", c, m, width, 1.0, w, width, a, width, 0.0, sd, c);
                blas.dgemm("N", "T", width, c, m, 1.0, a, width, sd, c, 1.0, gd, width);
              }
            }
          }));
        }
        for (Future<?> f : futures) {
          try {
            f.get();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
        return null;
      }, 3 * WARMUP, REPS);
    } finally {
      pool.shutdown();
    }
  }

  private static double[] toDouble(DataBlock block) {
    double[] values = new double[block.rows() * block.width()];
    for (int i = 0; i < values.length; i++) {
      values[i] = block.values()[i];
    }
    return values;
  }

  // Figure 1c: Spark ML's multinomial LogisticRegression, time per gradient evaluation.
  private void sparkMlComparison(SparkSession spark, JavaSparkContext jsc,
      Experiment experiment, SparkEngine sparkEngine) {
    List<Row> rows = new ArrayList<>();
    for (DataRole role : List.of(DataRole.LOWER, DataRole.UPPER)) {
      LabeledData d = (LabeledData) experiment.data().get(role); // read by the driver
      for (int i = 0; i < d.rows(); i++) {
        rows.add(RowFactory.create((double) d.labels()[i], Vectors.dense(
            Arrays.copyOfRange(d.features(), i * d.dim(), (i + 1) * d.dim()))));
      }
    }
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(PARTITIONS).cache();
    long n = df.count();
    // A warm-up round, then the median of three.
    List<Double> perJob = new ArrayList<>();
    int[] iterations = {5, 25};
    for (int round = 0; round < 4; round++) {
      double[] seconds = new double[2];
      long[] jobs = new long[2];
      for (int k = 0; k < 2; k++) {
        String group = "spark-ml-" + round + "-" + k;
        jsc.setJobGroup(group, group, false);
        long start = System.nanoTime();
        new LogisticRegression().setFamily("multinomial").setMaxIter(iterations[k]).setTol(0)
            .setRegParam(0).setStandardization(false).fit(df);
        seconds[k] = (System.nanoTime() - start) / 1e9;
        jobs[k] = jsc.statusTracker().getJobIdsForGroup(group).length;
      }
      if (round > 0) {
        perJob.add((seconds[1] - seconds[0]) * 1e3 / (jobs[1] - jobs[0]));
      }
    }
    jsc.clearJobGroup();
    double mlMs = median(perJob);
    double[] x = experiment.x0();
    double[] y = experiment.y0();
    Evaluation oneGradient = new Evaluation(x, new double[][] {y}, List.of(
        LossRequest.lower(0).withGradY().overAllSamples(),
        LossRequest.upper(0).withGradY().overAllSamples()), Draw.random(0), 1, BatchSizes.FULL,
            Arithmetic.DEFAULT);
    double oursMs = medianMs(() -> sparkEngine.evaluate(oneGradient));
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("rows", n);
    fig.put("spark_ml_ms_per_gradient", mlMs);
    fig.put("spark_ml_method", "(time of a fit with 25 iterations − time with 5) / (jobs − jobs),"
        + " the median of three such pairs after one; each L-BFGS evaluation of the loss is one"
        + " treeAggregate job");
    fig.put("f2ba_spark_ms_per_gradient", oursMs);
    fig.put("speedup", mlMs / oursMs);
    report.put("spark_ml_logistic_regression", fig);
    df.unpersist();
  }

  // Figure 2: mini-batch inner steps, and where Spark's overhead goes.
  private void miniBatchSteps(Experiment experiment, JavaSparkContext jsc,
      SparkEngine sparkEngine, LocalEngine localEngine, SparkJobRecorder recorder)
      throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    double[] x = experiment.x0();
    double[] y = experiment.y0();
    double[] z = y.clone();
    for (int b : new int[] {256, 1024, 4096}) {
      BatchSizes batches = new BatchSizes(b, b);
      BilevelOracle spark = new BilevelOracle(experiment.problem(), sparkEngine, batches, 1,
          Arithmetic.DEFAULT);
      BilevelOracle local = new BilevelOracle(experiment.problem(), localEngine, batches, 1,
          Arithmetic.DEFAULT);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("batch_per_level", b);
      row.putAll(breakdown(() -> F2ba.innerGradients(spark, x, y, z),
          () -> F2ba.innerGradients(local, x, y, z), recorder, 10, 40));
      rows.add(row);
    }
    report.put("mini_batch_inner_step", rows);
    JavaRDD<Integer> two = jsc.parallelize(List.of(0, 1), PARTITIONS).cache();
    two.count();
    report.put("empty_spark_job_ms", medianMs(() -> two.map(i -> i).collect(), 10, 40));
    two.unpersist();
  }

  /**
   * Times {@code step} on Spark ({@code warmup} + {@code reps} runs, one job each) in
   * alternation with {@code inProcess}, so that drift in the machine's speed touches both alike,
   * and splits the Spark median into scheduling, task time, result transfer and the driver's
   * side.
   */
  private static Map<String, Object> breakdown(Supplier<?> step, Supplier<?> inProcess,
      SparkJobRecorder recorder, int warmup, int reps) throws InterruptedException {
    recorder.take(0);
    List<Double> wall = new ArrayList<>();
    List<Double> local = new ArrayList<>();
    for (int r = 0; r < warmup + reps; r++) {
      long start = System.nanoTime();
      step.get();
      wall.add((System.nanoTime() - start) / 1e6);
      start = System.nanoTime();
      inProcess.get();
      local.add((System.nanoTime() - start) / 1e6);
    }
    double inProcessMs = median(local.subList(warmup, local.size()));
    List<SparkJobRecorder.JobTiming> jobs = recorder.take(warmup + reps);
    List<SparkJobRecorder.JobTiming> measured = jobs.subList(warmup, jobs.size());
    double sparkMs = median(wall.subList(warmup, wall.size()));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("spark_ms", sparkMs);
    row.put("in_process_ms", inProcessMs);
    row.put("overhead_ms", sparkMs - inProcessMs);
    row.put("scheduling_ms", median(measured.stream().map(j -> (double) (
        j.tasks().stream().mapToLong(SparkJobRecorder.TaskTiming::launch).min().orElse(0)
            - j.submitted())).toList()));
    row.put("task_deserialize_ms", median(measured.stream().map(j -> j.tasks().stream()
        .mapToLong(SparkJobRecorder.TaskTiming::deserialize).average().orElse(0)).toList()));
    row.put("task_run_ms", median(measured.stream().map(j -> j.tasks().stream()
        .mapToLong(SparkJobRecorder.TaskTiming::run).max().orElse(0) * 1.0).toList()));
    row.put("result_transfer_ms", median(measured.stream().map(j -> (double) (j.ended()
        - j.tasks().stream().mapToLong(SparkJobRecorder.TaskTiming::finish).max().orElse(0)
        + j.tasks().stream().mapToLong(SparkJobRecorder.TaskTiming::resultSerialize).max()
        .orElse(0))).toList()));
    row.put("driver_side_ms", sparkMs - median(measured.stream()
        .map(j -> (double) (j.ended() - j.submitted())).toList()));
    return row;
  }

  // Figure 4: memory.
  private void memory(SparkEngine engine, Experiment experiment) {
    long cached = engine.cachedBytes();
    long raw = 0;
    for (Rows d : experiment.data().values()) {
      raw += 4L * d.rows() * d.dim();
    }
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("cached_bytes", cached);
    fig.put("raw_float32_bytes", raw);
    fig.put("cached_over_raw_float32", (double) cached / raw);
    fig.put("heap_peak_bytes", HeapUse.peak());
    fig.put("heap_note", "local mode: the driver and the executors share one JVM, so this is"
        + " their common peak (all heap pools' peaks added)");
    report.put("memory", fig);
  }

  // Figure 3: end to end, through the same run loop as the application.
  private void endToEnd(JavaSparkContext jsc) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String batch : new String[] {"full", "1024"}) {
      RunConfig config = config("solver.T=" + (batch.equals("full") ? 10 : 30),
          "solver.batch.upper=" + batch, "solver.batch.lower=" + batch);
      Experiment experiment = Experiments.fromConfig(config);
      SolverSettings settings = SolverSettings.fromConfig(config);
      List<Shard> shards = Sharding.split(experiment.dataOf(RangeRows.class), PARTITIONS,
          config.intAtLeast("data.block-rows", 1));
      Path dir = Files.createTempDirectory("f2ba-bench");
      List<double[]> history = new ArrayList<>();
      try (GradientEngine engine = new SparkEngine(jsc, experiment.problem(), shards)) {
        BilevelRun run = new BilevelRun(experiment, engine, Arithmetic.DEFAULT, settings, 1,
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            DiagnosticSettings.OFF);
        try (RunOutput output = new RunOutput(dir.resolve("run").toString(), run.columns())) {
          run.run(output, Checkpointing.NONE, StopSignals.NONE);
          output.commit(Map.of());
        }
      }
      List<String> lines = Files.readAllLines(dir.resolve("run").resolve("metrics.csv"));
      List<String> header = List.of(lines.get(0).split(","));
      for (String line : lines.subList(1, settings.stop().maxIterations() + 2)) {
        String[] cells = line.split(",");
        history.add(new double[] {Double.parseDouble(cells[header.indexOf("wall_s")]),
            Double.parseDouble(cells[header.indexOf("test_acc")])});
      }
      List<Double> perIteration = new ArrayList<>();
      Double reached = null;
      for (int t = 1; t < history.size(); t++) {
        perIteration.add(history.get(t)[0] - history.get(t - 1)[0]);
        if (reached == null && history.get(t)[1] >= 0.80) {
          reached = history.get(t)[0];
        }
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("batch_per_level", batch);
      row.put("outer_iterations", history.size() - 1);
      row.put("seconds_per_outer_iteration", median(perIteration));
      row.put("final_test_acc", history.get(history.size() - 1)[1]);
      row.put("seconds_to_test_acc_0.80", reached);
      rows.add(row);
    }
    report.put("end_to_end", rows);
  }

  private static List<String> topFrames(Path jfr, int count) throws IOException {
    Map<String, Long> samples = new LinkedHashMap<>();
    long total = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
      if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
        continue;
      }
      RecordedFrame top = event.getStackTrace().getFrames().get(0);
      String name = top.getMethod().getType().getName() + "." + top.getMethod().getName();
      samples.merge(name, 1L, Long::sum);
      total++;
    }
    long all = total;
    return samples.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(count)
        .map(e -> String.format("%.1f%% %s", 100.0 * e.getValue() / all, e.getKey()))
        .collect(Collectors.toList());
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu", cpuModel());
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("blas", Blas.describe(Blas.Choice.AUTO, Blas.nativeLibrary()));
    m.put("spark_master", "local[" + PARTITIONS + "], " + PARTITIONS + " partitions");
    m.put("repetitions", "median of " + REPS + " after " + WARMUP + " warm-up (mini-batch: 40"
        + " after 10), Spark and in-process runs alternating");
    return m;
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static double medianMs(Supplier<?> work) {
    return medianMs(work, WARMUP, REPS);
  }

  private static double medianMs(Supplier<?> work, int warmup, int reps) {
    for (int i = 0; i < warmup; i++) {
      work.get();
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      long start = System.nanoTime();
      work.get();
      times.add((System.nanoTime() - start) / 1e6);
    }
    return median(times);
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private void write(Path out) throws IOException {
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("engine-benchmark.json").toFile(), report);
    Files.writeString(out.resolve("engine-benchmark.md"), BenchmarkReport.markdown(report));
  }
}
