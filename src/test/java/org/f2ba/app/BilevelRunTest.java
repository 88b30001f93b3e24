package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.ml.linalg.SparseVector;
import org.f2ba.TestData;
import org.f2ba.TestTables;
import org.f2ba.data.Blocks;
import org.f2ba.data.SparseLabeledData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole run through the command line: its files, its stopping rules, its schedules. */
class BilevelRunTest {
  @TempDir
  Path dir;

  private List<CSVRecord> run(String name, String... overrides) throws Exception {
    String[] args = new String[overrides.length + 7];
    args[0] = "conf/default.conf";
    args[1] = "engine=local";
    args[2] = "data.train-size=400";
    args[3] = "data.val-size=200";
    args[4] = "data.test-size=200";
    args[5] = "solver.f2ba.K=3";
    args[6] = "output.dir=" + dir.resolve(name);
    System.arraycopy(overrides, 0, args, 7, overrides.length);
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), args), err.toString());
    try (CSVParser parser = CSVParser.parse(dir.resolve(name).resolve("metrics.csv"),
        java.nio.charset.StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
      return parser.getRecords();
    }
  }

  private JsonNode summary(String name) throws Exception {
    return new ObjectMapper().readTree(dir.resolve(name).resolve("summary.json").toFile());
  }

  @Test
  void theSummaryNamesThePrecisionAndTheBlasOfDriverAndExecutors() throws Exception {
    run("arithmetic", "solver.T=1", "arithmetic.precision=double", "arithmetic.blas=java",
        "diagnostics.refit=false");
    JsonNode arithmetic = summary("arithmetic").get("arithmetic");
    assertEquals("double", arithmetic.get("precision").asText());
    assertEquals("pure-Java BLAS (VectorBLAS), as arithmetic.blas = java asks",
        arithmetic.get("blas").get("driver").asText());
    assertEquals(arithmetic.get("blas").get("driver"),
        arithmetic.get("blas").get("executors").get(0));
    run("auto", "solver.T=1", "diagnostics.refit=false");
    assertEquals("single", summary("auto").get("arithmetic").get("precision").asText());
  }

  @Test
  void writesTheDocumentedColumnsAndSummary() throws Exception {
    List<CSVRecord> rows = run("files", "solver.T=4");
    assertEquals(5, rows.size());
    Set<String> columns = new TreeSet<>(rows.get(0).getParser().getHeaderNames());
    assertTrue(columns.containsAll(List.of("iter", "wall_s", "hypergrad_norm_est",
        "inner_steps", "oracle_calls", "val_loss", "val_acc", "test_loss", "test_acc",
        "weight_f1")), columns.toString());
    assertEquals("3", rows.get(4).get("inner_steps"));
    // Full batches: every inner step takes 3 gradients, every estimate 3.
    assertEquals(String.valueOf(4 * (3 * 3 + 3)), rows.get(4).get("oracle_calls"));
    JsonNode summary = summary("files");
    for (String key : List.of("initial", "final", "outer_iters", "wall_s", "oracle_calls",
        "spark_jobs")) {
      assertTrue(summary.has(key), key);
    }
    assertEquals(4, summary.get("outer_iters").asInt());
    assertTrue(summary.get("initial").has("test_acc") && summary.get("final").has("val_loss"));
    assertEquals(400, Files.readAllLines(dir.resolve("files").resolve("x.txt")).size());
    String page = Files.readString(dir.resolve("files").resolve("report.html"));
    for (String png : List.of("loss-by-iteration.png", "accuracy-by-time.png",
        "hypergradient-by-iteration.png", "x-metrics-by-time.png", "weights.png")) {
      assertTrue(page.contains("<img src=\"" + png + "\"")
          && Files.size(dir.resolve("files").resolve(png)) > 1000, png);
    }
    assertTrue(Files.readString(dir.resolve("files").resolve(RunOutput.MANIFEST))
        .contains("report.html"));
  }

  @Test
  void theReportOfPerFeatureStrengthsOnImagesShowsThemAsAnImage() throws Exception {
    run("pixels", "problem=regtune", "regtune.granularity=per-feature", "solver.T=1",
        "diagnostics.refit=false");
    String page = Files.readString(dir.resolve("pixels").resolve("report.html"));
    assertTrue(page.contains("<img src=\"strengths.png\"") && page.contains("each pixel's"),
        page);
  }

  @Test
  void stopsOnTheHypergradientNorm() throws Exception {
    List<CSVRecord> rows = run("norm", "solver.T=50", "solver.stop.hypergrad-norm=1e3");
    assertEquals(2, rows.size());
    assertTrue(summary("norm").get("stop_reason").asText().startsWith("hyper-gradient"));
  }

  @Test
  void stopsOnTheWallClockBudget() throws Exception {
    List<CSVRecord> rows = run("wall", "solver.T=100000", "solver.stop.wall-seconds=1");
    assertTrue(rows.size() < 100001);
    assertTrue(summary("wall").get("stop_reason").asText().startsWith("wall-clock"));
  }

  @Test
  void theoryModeSetsTheParametersAndReportsThePredictedBudget() throws Exception {
    List<CSVRecord> rows = run("theory", "solver.theory.enabled=true",
        "solver.theory.epsilon=0.5", "solver.theory.c-T=0.01", "solver.theory.L-g=4",
        "solver.theory.c-k=0.05", "solver.theory.M-f=1", "solver.theory.c-batch=0.01");
    JsonNode theory = summary("theory").get("theory");
    // T = c_T ℓκ³/ε² = 0.01 · 1 · 1 / 0.25 → 1 outer iteration
    assertEquals(1, theory.get("T").asInt());
    assertEquals(2, rows.size());
    assertEquals(0, theory.get("batch_lower").asInt());
    assertTrue(theory.get("batch_upper").asInt() > 0);
    assertTrue(theory.get("predicted_oracle_calls").asDouble() > 0);
    assertEquals(summary("theory").get("oracle_calls").asLong(),
        theory.get("oracle_calls_used").asLong());
  }

  /** The synthetic-data config, small: the executors make the rows, and the run learns. */
  @Test
  void syntheticRowsMadeByTheExecutorsTrainAModel() throws Exception {
    StringWriter err = new StringWriter();
    Path out = dir.resolve("synthetic");
    assertEquals(0, F2baApp.run(new PrintWriter(err), "conf/synthetic-scale.conf",
        "data.train-size=3000", "data.val-size=500", "data.test-size=500", "solver.T=3",
        "output.dir=" + out), err.toString());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("spark", summary.get("engine").asText());
    // 4,000 rows of 784 features and a bias, as float32, with their labels and row numbers.
    long cached = summary.get("data_cached_bytes").asLong();
    assertTrue(cached >= 4000L * 785 * 4 && cached < 1.1 * 4000 * 785 * 4, "cached " + cached);
    long peak = summary.get("driver_heap_peak_bytes").asLong();
    long retained = summary.get("driver_heap_retained_bytes").asLong();
    assertTrue(peak > 0);
    // -1 where no collection ran during the run; what a collection left is below the peak.
    assertTrue(retained == -1 || (retained > 0 && retained <= peak), retained + " of " + peak);
    assertTrue(summary.get("final").get("test_acc").asDouble()
        > summary.get("initial").get("test_acc").asDouble() + 0.3, summary.toString());
  }

  /**
   * Hyper-cleaning on Parquet tables in Spark ML's form, with label noise and standardized
   * features: the run whose executors read the tables is the run of the same tables collected
   * in process, bit for bit, and it cleans.
   */
  @Test
  void tablesReadByTheExecutorsGiveTheRunOfTheTablesCollectedInProcess() throws Exception {
    String train = TestTables.write(TestData.clusters("train", 700, 6, 3, 1),
        dir.resolve("train-table"), 3);
    String test = TestTables.write(TestData.clusters("test", 200, 6, 3, 2),
        dir.resolve("test-table"), 2);
    String[] table = {"data.format=spark-source", "data.spark-source.train=" + train,
        "data.spark-source.test=" + test, "data.num-classes=3", "data.train-size=500",
        "data.val-size=200", "data.label-noise=0.4", "solver.T=4", "solver.f2ba.eta=300"};
    run("table-local", table);
    String[] onSpark = java.util.Arrays.copyOf(table, table.length + 1);
    onSpark[table.length] = "engine=spark";
    List<CSVRecord> spark = run("table-spark", onSpark);
    assertEquals(Files.readAllLines(dir.resolve("table-local").resolve("x.txt")),
        Files.readAllLines(dir.resolve("table-spark").resolve("x.txt")));
    assertEquals("spark", summary("table-spark").get("engine").asText());
    assertEquals(500, Files.readAllLines(dir.resolve("table-spark").resolve("x.txt")).size());
    CSVRecord last = spark.get(spark.size() - 1);
    assertTrue(Double.parseDouble(last.get("weight_auc")) > 0.8, last.toString());
    assertTrue(Double.parseDouble(last.get("test_acc")) > 0.8, last.toString());
  }

  /**
   * Hyper-cleaning on the embedded Fashion-MNIST files (gzipped idx), standardized: the files
   * read by the executors, each task a range of rows, give the run of the files read in
   * process, bit for bit.
   */
  @Test
  void idxFilesReadByTheExecutorsGiveTheRunOfTheFilesReadInProcess() throws Exception {
    run("idx-local", "solver.T=2", "spark.partitions=2", "diagnostics.refit=false");
    run("idx-executors", "solver.T=2", "spark.partitions=2", "diagnostics.refit=false",
        "engine=spark");
    for (String output : List.of("x.txt", "y.txt")) {
      assertEquals(Files.readAllLines(dir.resolve("idx-local").resolve(output)),
          Files.readAllLines(dir.resolve("idx-executors").resolve(output)), output);
    }
  }

  /**
   * A LIBSVM file read by this project's reader in process, by the same reader on the executors
   * (in two input splits) and by Spark's own libsvm source: the same run, bit for bit.
   */
  @Test
  void libsvmReadBySparksSourceGivesTheRunOfTheDriversReader() throws Exception {
    StringBuilder text = new StringBuilder();
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 300; i++) {
      int label = random.nextInt(3);
      text.append(label).append(" 1:").append(label + random.nextGaussian()).append(" 3:")
          .append(random.nextGaussian() - label).append(" 4:").append(random.nextInt(5))
          .append('\n');
    }
    Path file = Files.writeString(dir.resolve("small.libsvm"), text);
    String[] common = {"data.num-classes=3", "data.train-size=200", "data.val-size=100",
        "data.test-size=100", "solver.T=3", "diagnostics.refit=false"};
    String[] reader = {"data.format=libsvm", "data.libsvm.train-file=" + file,
        "data.libsvm.test-file=" + file, "data.libsvm.num-features=4"};
    String[] sparkSource = {"engine=spark", "data.format=spark-source",
        "data.spark-source.format=libsvm", "data.spark-source.options.numFeatures=4",
        "data.spark-source.train=" + file, "data.spark-source.test=" + file};
    run("libsvm-local", concat(common, reader));
    run("libsvm-executors", concat(common, reader, new String[] {"engine=spark"}));
    run("libsvm-spark-source", concat(common, sparkSource));
    for (String other : List.of("libsvm-executors", "libsvm-spark-source")) {
      for (String output : List.of("x.txt", "y.txt")) {
        assertEquals(Files.readAllLines(dir.resolve("libsvm-local").resolve(output)),
            Files.readAllLines(dir.resolve(other).resolve(output)), other + " " + output);
      }
    }
  }

  /**
   * Per-feature regularization tuning on a sparse LIBSVM file of 3,000 features: this project's
   * reader on the executors and Spark's libsvm source both keep it sparse and give the
   * in-process run bit for bit, with the blocks cached as their non-zeros.
   */
  @Test
  void sparseLibsvmTunesOneStrengthPerFeatureTheSameWhereverItIsRead() throws Exception {
    SparseLabeledData data = Blocks.sparse("sparse", 600, 3000, 3, 8, 4);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < data.rows(); i++) {
      text.append(data.labels()[i]);
      SparseVector v = (SparseVector) data.vector(i);
      for (int k = 0; k < v.indices().length; k++) {
        text.append(' ').append(v.indices()[k] + 1).append(':').append(v.values()[k]);
      }
      text.append('\n');
    }
    Path file = Files.writeString(dir.resolve("sparse.libsvm"), text);
    String[] common = {"problem=regtune", "regtune.granularity=per-feature",
        "data.num-classes=3", "data.train-size=300", "data.val-size=200", "data.test-size=100",
        "data.scaling=scale", "data.label-noise=0.2", "solver.T=3", "diagnostics.refit=false"};
    String[] reader = {"data.format=libsvm", "data.libsvm.train-file=" + file,
        "data.libsvm.test-file=" + file, "data.libsvm.num-features=3000"};
    String[] executors = {"engine=spark", "data.format=spark-source",
        "data.spark-source.format=libsvm", "data.spark-source.options.numFeatures=3000",
        "data.spark-source.train=" + file, "data.spark-source.test=" + file};
    String[] onSpark = {"engine=spark"};
    run("sparse-local", concat(common, reader));
    run("sparse-reader-on-executors", concat(common, reader, onSpark));
    List<CSVRecord> spark = run("sparse-executors", concat(common, executors));
    for (String run : List.of("sparse-reader-on-executors", "sparse-executors")) {
      for (String file2 : List.of("x.txt", "y.txt")) {
        assertEquals(Files.readAllLines(dir.resolve("sparse-local").resolve(file2)),
            Files.readAllLines(dir.resolve(run).resolve(file2)), run + " " + file2);
      }
    }
    assertEquals(3001, Files.readAllLines(dir.resolve("sparse-local").resolve("x.txt")).size());
    // 600 rows of about 8 non-zeros and the bias, at 8 bytes each: far below 3,001 floats a row.
    long cached = summary("sparse-executors").get("data_cached_bytes").asLong();
    assertTrue(cached > 0 && cached < 600 * 3001 * 4 / 20, "cached " + cached);
    assertTrue(Double.parseDouble(spark.get(spark.size() - 1).get("val_loss"))
        < Double.parseDouble(spark.get(0).get("val_loss")), spark.toString());
  }

  /**
   * conf/regtune-news20.conf on LIBSVM files of news20.scale's shape (62,061 features of values in
   * [0, 1], classes 1..20; one raw, one gzipped), read by the executors: it runs, one strength
   * per feature, learns, and keeps the rows sparse.
   */
  @Test
  void theNews20ConfigRunsOnFilesOfItsShape() throws Exception {
    // Documents of 80 features of values in (0, 1], a class's first 100 features more common.
    java.util.Random random = new java.util.Random(6);
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    for (int i = 0; i < 700; i++) {
      int label = random.nextInt(20);
      java.util.TreeSet<Integer> features = new java.util.TreeSet<>();
      while (features.size() < 80) {
        features.add(random.nextBoolean() ? label * 100 + random.nextInt(100)
            : random.nextInt(62061));
      }
      StringBuilder text = i < 500 ? train : test;
      text.append(label + 1);
      for (int j : features) {
        text.append(' ').append(j + 1).append(':').append(1 - random.nextDouble());
      }
      text.append('\n');
    }
    Path trainFile = Files.writeString(dir.resolve("news20.scale"), train);
    Path testFile = org.f2ba.IdxFiles.write(dir.resolve("news20.t.scale"),
        test.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    Path out = dir.resolve("news20");
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), "conf/regtune-news20.conf",
        "data.libsvm.train-file=" + trainFile, "data.libsvm.test-file=" + testFile,
        "data.train-size=300", "data.val-size=200", "data.test-size=200", "solver.T=2",
        "output.dir=" + out), err.toString());
    assertEquals(62062, Files.readAllLines(out.resolve("x.txt")).size());
    JsonNode summary = summary("news20");
    assertTrue(summary.get("final").get("val_loss").asDouble()
        < summary.get("initial").get("val_loss").asDouble(), summary.toString());
    long cached = summary.get("data_cached_bytes").asLong();
    assertTrue(cached > 0 && cached < 700 * 62062 * 4 / 100, "cached " + cached);
  }

  private static String[] concat(String[]... parts) {
    return java.util.stream.Stream.of(parts).flatMap(a -> List.of(a).stream())
        .toArray(String[]::new);
  }

  @Test
  void hardInstanceKeepsXAtZeroWithUnitHypergradient() throws Exception {
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), "conf/hard-instance.conf", "solver.T=6",
        "solver.f2ba.K=4", "output.dir=" + dir.resolve("hard")), err.toString());
    assertEquals(List.of("0.0"), Files.readAllLines(dir.resolve("hard").resolve("x.txt")));
    try (CSVParser parser = CSVParser.parse(dir.resolve("hard").resolve("metrics.csv"),
        java.nio.charset.StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
      List<CSVRecord> rows = parser.getRecords();
      assertEquals(7, rows.size());
      for (CSVRecord row : rows.subList(1, rows.size())) {
        assertEquals(1.0, Double.parseDouble(row.get("hypergrad_norm_true")));
        assertEquals(0.0, Double.parseDouble(row.get("hypergrad_norm_est")));
      }
    }
  }

  @Test
  void exactDiagnosticsOfHyperCleaningLeaveTheRunAsItWas() throws Exception {
    List<CSVRecord> plain = run("plain", "solver.T=3");
    List<CSVRecord> exact = run("exact", "solver.T=3", "diagnostics.exact-hypergradient=true");
    assertEquals("", exact.get(0).get("hypergrad_norm_true"));
    for (int t = 1; t <= 3; t++) {
      assertEquals(plain.get(t).get("hypergrad_norm_est"), exact.get(t).get("hypergrad_norm_est"));
      assertEquals(plain.get(t).get("spark_jobs"), exact.get(t).get("spark_jobs"));
      double truth = Double.parseDouble(exact.get(t).get("hypergrad_norm_true"));
      double error = Double.parseDouble(exact.get(t).get("hypergrad_est_error"));
      assertTrue(truth > 0 && Double.isFinite(error), truth + " " + error);
    }
    assertEquals(Files.readAllLines(dir.resolve("plain").resolve("x.txt")),
        Files.readAllLines(dir.resolve("exact").resolve("x.txt")));
    assertTrue(summary("exact").get("diagnostics").get("hessian_vector_products").asLong() > 0);
  }

  /**
   * The refit retrains y*(x_T) to the tolerance and scores it; where the diagnostics solve
   * y*(x_t) every iteration, φ(x_t) is the validation loss at y*(x_t), which the refit at the
   * same x reproduces.
   */
  @Test
  void refitAndPhiScoreTheHyperparametersAtTheRetrainedModel() throws Exception {
    List<CSVRecord> rows = run("refit", "solver.T=2", "diagnostics.exact-hypergradient=true",
        "diagnostics.tolerance=1e-10", "diagnostics.refit-tolerance=1e-10",
        "solver.name=grid", "solver.grid.points=2", "solver.grid.from=2",
        "solver.grid.to=2");
    JsonNode refit = summary("refit").get("refit");
    assertTrue(refit.get("lower_grad_norm").asDouble() <= 1e-10, refit.toString());
    assertTrue(refit.get("hessian_vector_products").asInt() > 0, refit.toString());
    double phi = Double.parseDouble(rows.get(2).get("phi"));
    assertEquals(refit.get("val_loss").asDouble(), phi, 1e-9);
    assertEquals(refit.get("test_acc").asDouble(),
        Double.parseDouble(rows.get(2).get("phi_test_acc")), 1e-12);
    assertNotEquals(summary("refit").get("final").get("val_loss").asDouble(), phi, 1e-3);
  }

  @Test
  void exactDiagnosticsEveryFewIterations() throws Exception {
    List<CSVRecord> rows = run("every", "solver.T=3", "diagnostics.exact-hypergradient=true",
        "diagnostics.every=2");
    assertEquals("", rows.get(1).get("hypergrad_norm_true"));
    assertTrue(Double.parseDouble(rows.get(2).get("hypergrad_norm_true")) > 0);
    assertEquals("", rows.get(3).get("hypergrad_est_error"));
  }

  @Test
  void stochasticRunWithTheDeltaScheduleAdaptsInnerSteps() throws Exception {
    List<CSVRecord> rows = run("delta", "solver.T=6", "solver.batch.upper=64",
        "solver.batch.lower=128", "solver.f2ba.schedule=delta", "solver.f2ba.delta.L-g=1",
        "solver.f2ba.delta.mu=0.5", "solver.f2ba.delta.epsilon=0.1",
        "solver.f2ba.delta.delta0=100", "solver.f2ba.delta.c-k=0.5", "solver.f2ba.eta=10");
    int first = Integer.parseInt(rows.get(1).get("inner_steps"));
    int last = Integer.parseInt(rows.get(6).get("inner_steps"));
    assertTrue(first > last, "K_t " + first + " then " + last);
    assertTrue(Double.parseDouble(rows.get(6).get("delta")) < 100);
    // Mini-batches: an inner step costs 64 + 2 * 128 oracle calls, as does an estimate.
    long calls = 0;
    for (int t = 1; t <= 6; t++) {
      calls += (Integer.parseInt(rows.get(t).get("inner_steps")) + 1) * (64 + 2 * 128);
    }
    assertEquals(calls, Long.parseLong(rows.get(6).get("oracle_calls")));
  }

  @Test
  void keysOfF2baUnderTheirFormerNamesStillWorkWithANote() throws Exception {
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), "conf/default.conf", "engine=local",
        "data.train-size=400", "data.val-size=200", "data.test-size=200", "solver.T=2",
        "solver.K=3", "output.dir=" + dir.resolve("former")), err.toString());
    assertTrue(err.toString().contains("note: config key 'solver.K' is now 'solver.f2ba.K'"
        + " (command line)"), err.toString());
    assertEquals("3", CSVParser.parse(dir.resolve("former").resolve("metrics.csv"),
        java.nio.charset.StandardCharsets.UTF_8, CSVFormat.DEFAULT.builder().setHeader()
            .setSkipHeaderRecord(true).build()).getRecords().get(2).get("inner_steps"));
    err = new StringWriter();
    assertEquals(2, F2baApp.run(new PrintWriter(err), "conf/default.conf", "solver.eta=0"));
    assertTrue(err.toString().contains("error: config key 'solver.f2ba.eta' (command line, as"
        + " 'solver.eta'): 0.0 must be greater than 0"), err.toString());
  }
}
