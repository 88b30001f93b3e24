package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: a resumed run ends exactly where an uninterrupted one does. */
class CheckpointTest {
  @TempDir
  Path dir;

  /** A small stochastic F²BSA run with K_t from Eq. 8–9, so that sampler and δ_t matter. */
  private List<String> args(String name, String engine, int outerIterations, String... more) {
    List<String> args = new ArrayList<>(List.of("conf/default.conf", "engine=" + engine,
        "spark.partitions=2", "data.train-size=600", "data.val-size=200", "data.test-size=200",
        "solver.batch.upper=64", "solver.batch.lower=128", "solver.f2ba.schedule=delta",
        "solver.f2ba.delta.L-g=1", "solver.f2ba.delta.mu=0.5", "solver.f2ba.delta.epsilon=0.1",
        "solver.f2ba.delta.delta0=10", "solver.f2ba.delta.c-k=0.3", "solver.f2ba.eta=200",
        "solver.T=" + outerIterations, "output.dir=" + dir.resolve(name),
        "checkpoint.dir=" + dir.resolve(name + "-ckpt")));
    args.addAll(List.of(more));
    return args;
  }

  private String run(List<String> args) {
    StringWriter err = new StringWriter();
    int code = F2baApp.run(new PrintWriter(err), args.toArray(String[]::new));
    assertEquals(0, code, err.toString());
    return err.toString();
  }

  private String file(String run, String name) throws Exception {
    return Files.readString(dir.resolve(run).resolve(name));
  }

  @Test
  void resumedRunEndsWithTheSameIterateBitForBit() throws Exception {
    run(args("straight", "local", 6));
    run(args("interrupted", "local", 4, "checkpoint.every=2"));
    List<String> resume = args("interrupted", "local", 6, "checkpoint.every=2");
    resume.add(0, "--resume");
    run(resume);
    assertEquals(file("straight", "x.txt"), file("interrupted", "x.txt"));
    assertEquals(file("straight", "y.txt"), file("interrupted", "y.txt"));
    assertEquals(withoutTimes(file("straight", "metrics.csv")),
        withoutTimes(file("interrupted", "metrics.csv")));
  }

  /**
   * x kept with its rows: an interrupted run resumes from its checkpoint (x gathered into it,
   * then kept again) to where an uninterrupted one ends, which is where x on the driver ends;
   * x's metrics come at the end only.
   */
  @Test
  void runWithXKeptWithItsRowsResumesBitForBit() throws Exception {
    String[] kept = {"spark.per-sample-x=with-rows", "solver.f2ba.schedule=fixed",
        "solver.f2ba.K=3"};
    List<String> onDriver = args("driver", "spark", 5, "solver.f2ba.schedule=fixed",
        "solver.f2ba.K=3");
    run(onDriver);
    run(args("straight", "spark", 5, kept));
    List<String> first = args("interrupted", "spark", 3, kept);
    first.add("checkpoint.every=2");
    run(first);
    List<String> resume = args("interrupted", "spark", 5, kept);
    resume.add(0, "--resume");
    run(resume);
    for (String run : List.of("straight", "interrupted")) {
      assertEquals(file("driver", "x.txt"), file(run, "x.txt"), run);
      assertEquals(file("driver", "y.txt"), file(run, "y.txt"), run);
    }
    assertEquals(withoutTimes(file("straight", "metrics.csv")),
        withoutTimes(file("interrupted", "metrics.csv")));
    String summary = file("straight", "summary.json");
    assertTrue(summary.contains("\"weight_auc\""), summary);
    String lastRow = file("straight", "metrics.csv").lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(lastRow.endsWith(",,"), "no weight metrics in the rows: " + lastRow);
  }

  @Test
  void checkpointOfVersionTwoResumesBitForBit() throws Exception {
    run(args("straight", "local", 6));
    run(args("old", "local", 4, "checkpoint.every=4"));
    Path ckpt = dir.resolve("old-ckpt");
    Checkpoint c = new CheckpointStore(ckpt.toString(), true).newest();
    Files.write(ckpt.resolve("ckpt-00000004.ckpt"), versionTwo(c));
    Files.delete(ckpt.resolve(".ckpt-00000004.ckpt.crc")); // Hadoop's checksum of the file
    run(args("old", "local", 6, "--resume"));
    assertEquals(file("straight", "y.txt"), file("old", "y.txt"));
    assertEquals(withoutTimes(file("straight", "metrics.csv")),
        withoutTimes(file("old", "metrics.csv")));
  }

  @Test
  void halfWrittenNewestCheckpointIsSkippedForThePreviousOne() throws Exception {
    run(args("straight", "local", 6));
    run(args("torn", "local", 4, "checkpoint.every=2"));
    File newest = dir.resolve("torn-ckpt").resolve("ckpt-00000004.ckpt").toFile();
    try (RandomAccessFile f = new RandomAccessFile(newest, "rw")) {
      f.setLength(f.length() / 2);
    }
    List<String> resume = args("torn", "local", 6);
    resume.add("checkpoint.resume=true");
    run(resume);
    assertEquals(file("straight", "y.txt"), file("torn", "y.txt"));
  }

  @Test
  void checkpointOfAnotherProblemIsRefused() {
    run(args("first", "local", 2, "checkpoint.every=2"));
    List<String> other = args("first", "local", 4, "data.train-size=500", "--resume");
    StringWriter err = new StringWriter();
    assertEquals(2, F2baApp.run(new PrintWriter(err), other.toArray(String[]::new)));
    assertTrue(err.toString().contains("is of another problem"), err.toString());
  }

  @Test
  void resumingOnOtherPartitionsContinuesWithAWarning() throws Exception {
    run(args("repartitioned", "local", 2, "checkpoint.every=2"));
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      run(args("repartitioned", "local", 4, "spark.partitions=3", "--resume"));
    } finally {
      System.setOut(out);
    }
    String progress = captured.toString(StandardCharsets.UTF_8);
    assertTrue(progress.contains("warning: the checkpoint was written with seed 1, batches"
        + " 64/128 (0: full), 2 partitions, single precision, this run has seed 1, batches"
        + " 64/128 (0: full), 3 partitions, single precision"), progress);
    assertTrue(progress.contains("resuming after outer iteration 2"), progress);
    assertEquals(1 + 5, Files.readAllLines(dir.resolve("repartitioned").resolve("metrics.csv"))
        .size());
  }

  @Test
  void resumingWithOtherMetricColumnsIsRefused() {
    run(args("columns", "local", 2, "checkpoint.every=2"));
    StringWriter err = new StringWriter();
    assertEquals(2, F2baApp.run(new PrintWriter(err), args("columns", "local", 4,
        "diagnostics.exact-hypergradient=true", "--resume").toArray(String[]::new)));
    assertTrue(err.toString().contains("checkpoint.dir: the newest checkpoint's metrics have"),
        err.toString());
  }

  @Test
  void explodingIterateStopsTheRunNamingTheIteration() {
    StringWriter err = new StringWriter();
    List<String> args = args("explode", "local", 4, "solver.divergence-norm=1");
    assertEquals(2, F2baApp.run(new PrintWriter(err), args.toArray(String[]::new)));
    assertTrue(err.toString().contains("outer iteration 1: the iterates diverged (a norm of"),
        err.toString());
  }

  @Test
  void killedSparkDriverResumesToTheSameIterate() throws Exception {
    run(args("straight", "local", 8));
    Path checkpoint = dir.resolve("killed-ckpt").resolve("ckpt-00000004.ckpt");
    Process driver = launch(args("killed", "spark", 8, "checkpoint.every=2"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(checkpoint) && driver.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(checkpoint), "no checkpoint of outer iteration 4 appeared");
    driver.destroyForcibly(); // SIGKILL
    driver.waitFor();
    assertTrue(!Files.exists(dir.resolve("killed").resolve("summary.json")),
        "the driver finished before it was killed");
    List<String> resume = args("killed", "spark", 8, "checkpoint.every=2");
    resume.add(0, "--resume");
    Process resumed = launch(resume);
    assertTrue(resumed.waitFor(120, TimeUnit.SECONDS), "the resumed run did not end");
    assertEquals(0, resumed.exitValue(), Files.readString(dir.resolve("driver.log")));
    assertTrue(Files.readString(dir.resolve("driver.log")).contains("resuming after outer"));
    assertEquals(file("straight", "x.txt"), file("killed", "x.txt"));
    assertEquals(file("straight", "y.txt"), file("killed", "y.txt"));
  }

  @Test
  void sigtermStopsAfterTheOuterIterationUnderWayAndResumesBitForBit() throws Exception {
    run(args("straight", "local", 8));
    Process driver = launch(args("stopped", "spark", 8));
    Path log = dir.resolve("driver.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.readString(log).contains("iter   3") && driver.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    driver.destroy(); // SIGTERM
    assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "the driver did not stop");
    String output = Files.readString(log);
    assertEquals(StopSignals.EXIT_CODE, driver.exitValue(), output);
    assertTrue(output.contains("stopped by SIGTERM after outer iteration "), output);
    assertTrue(output.contains("continue with --resume"), output);
    assertTrue(!Files.exists(dir.resolve("stopped").resolve("summary.json")));
    assertTrue(Files.readAllLines(dir.resolve("stopped.incomplete").resolve("metrics.csv"))
        .size() >= 1 + 4, "metrics so far");
    try (var files = Files.list(dir.resolve("stopped-ckpt"))) {
      assertEquals(1, files.filter(p -> p.getFileName().toString().startsWith("ckpt-"))
          .count());
    }
    List<String> resume = args("stopped", "spark", 8);
    resume.add(0, "--resume");
    Process resumed = launch(resume);
    assertTrue(resumed.waitFor(120, TimeUnit.SECONDS), "the resumed run did not end");
    assertEquals(0, resumed.exitValue(), Files.readString(log));
    assertEquals(file("straight", "x.txt"), file("stopped", "x.txt"));
    assertEquals(file("straight", "y.txt"), file("stopped", "y.txt"));
    assertEquals(withoutTimes(file("straight", "metrics.csv")),
        withoutTimes(file("stopped", "metrics.csv")));
  }

  /** The application in a JVM of its own, with this JVM's flags and class path. */
  private Process launch(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.f2ba.app.F2baApp");
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("driver.log").toFile()).start();
  }

  /** metrics.csv without the columns that measure time or count jobs. */
  private static String withoutTimes(String csv) {
    String[] lines = csv.split("\n");
    List<String> header = List.of(lines[0].split(","));
    int wall = header.indexOf("wall_s");
    int jobs = header.indexOf("spark_jobs");
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      String[] cells = line.split(",");
      for (int c = 0; c < cells.length; c++) {
        if (c != wall && c != jobs) {
          out.append(cells[c]).append(',');
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * {@code c} as version 2 wrote checkpoints, before solvers had states of their own: x, y, z
   * and δ_t (NaN where none), metric rows without second_order_calls.
   */
  private static byte[] versionTwo(Checkpoint c) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(0x46324241434B5054L);
      out.writeInt(2);
      out.writeUTF(c.problem());
      out.writeUTF(c.sampling());
      out.writeInt(c.iteration());
      out.writeLong(c.draws());
      out.writeLong(c.oracleCalls());
      out.writeDouble(c.state().scalar("delta", Double.NaN));
      out.writeDouble(c.wallSeconds());
      for (double[] v : List.of(c.state().x(), c.state().y(), c.state().vector("z", null))) {
        out.writeInt(v.length);
        for (double d : v) {
          out.writeDouble(d);
        }
      }
      out.writeInt(c.metricRows().size());
      for (List<String> row : c.metricRows()) {
        List<String> old = new ArrayList<>(row);
        old.remove(8); // second_order_calls
        out.writeInt(old.size());
        for (String cell : old) {
          out.writeUTF(cell);
        }
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    }
    return bytes.toByteArray();
  }
}
