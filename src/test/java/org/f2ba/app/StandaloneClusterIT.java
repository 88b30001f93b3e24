package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.f2ba.report.RunReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real Spark standalone cluster (submit-scripts/cluster.sh: a master and two workers, each
 * a JVM of its own, requiring the cluster's secret), the application jar submitted through
 * SparkSubmit ends with the same iterate as the in-process engine: undisturbed, with an executor
 * killed (hyper-cleaning's weights shipped per shard, or kept with their rows; also where the
 * executors read the rows from Parquet tables), stopped by SIGTERM and resumed, and through a
 * soak of repeated executor and driver kills. A submission without the secret, an executor out
 * of memory and a cluster lost mid-run each end with one clear error. Stopping the cluster
 * leaves no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
  private static final Path CLUSTER = Path.of("target", "it-cluster").toAbsolutePath();

  @TempDir
  static Path dir;

  private static List<String> args(String name, int outerIterations, String... more) {
    List<String> args = new ArrayList<>(List.of("conf/default.conf", "spark.partitions=2",
        "data.train-size=1000", "data.val-size=500", "data.test-size=500",
        "solver.T=" + outerIterations, "solver.f2ba.K=3", "solver.batch.lower=256",
        "diagnostics.refit=false",
        "output.dir=" + dir.resolve(name)));
    args.addAll(List.of(more));
    return args;
  }

  @BeforeAll
  static void startCluster() throws Exception {
    for (int t : new int[] {8, 12}) {
      List<String> local = args("local-" + t, t, "engine=local");
      StringWriter err = new StringWriter();
      assertEquals(0, F2baApp.run(new PrintWriter(err), local.toArray(String[]::new)),
          err.toString());
    }
    assertEquals(0, script("start").waitFor(), "cluster start");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    assertEquals(0, script("stop").waitFor(), "cluster stop");
    assertTrue(ProcessHandle.allProcesses().noneMatch(
        p -> p.info().commandLine().orElse("").contains("-Df2ba.cluster=" + CLUSTER)),
        "a process of the cluster is still running");
  }

  @Test
  @Order(1)
  void runsMatchTheInProcessEngineAndSurviveALostExecutor() throws Exception {
    List<String> withoutSecret = args("no-secret", 8);
    withoutSecret.add("spark.secret-file=");
    Process intruder = submit("no-secret", withoutSecret);
    assertEquals(0, submit("cluster", args("cluster", 8)).waitFor(), log("cluster"));
    assertSameIterate("local-8", "cluster");
    // the driver of the application jar draws the report too (XChart is in the jar)
    for (String file : List.of(RunReport.PAGE, "loss-by-iteration.png", "weights.png")) {
      assertTrue(Files.size(dir.resolve("cluster").resolve(file)) > 1000, file);
    }

    // Hyper-cleaning's weights shipped per shard (the default): the lost executor's share is
    // fetched again.
    Process disturbed = submit("killed", args("killed", 8));
    awaitLine("killed", "iter   3");
    killExecutor();
    assertEquals(0, disturbed.waitFor(), log("killed"));
    assertSameIterate("local-8", "killed");

    // The same rows as Parquet tables that the executors read: after the kill, the lost
    // executor's shard (and the shuffle output it held) is made again from the tables.
    Path tables = dir.resolve("tables");
    StringWriter err = new StringWriter();
    assertEquals(0, TableExport.run(new PrintWriter(err), "conf/default.conf",
        tables.toString()), err.toString());
    Process fromTables = submit("tables-killed", args("tables-killed", 8,
        "data.format=spark-source", "data.spark-source.train=" + tables.resolve("train"),
        "data.spark-source.test=" + tables.resolve("test")));
    awaitLine("tables-killed", "iter   3");
    killExecutor();
    assertEquals(0, fromTables.waitFor(), log("tables-killed"));
    assertSameIterate("local-8", "tables-killed");

    // The weights kept with their rows, written to Spark's checkpoint directory every two
    // outer iterations: the lost executor's weights are made again from the last such
    // checkpoint and the steps since, on shards made again.
    Process kept = submit("kept-killed", args("kept-killed", 8, "spark.per-sample-x=with-rows",
        "spark.x-checkpoint-every=2",
        "spark.conf.\"spark.checkpoint.dir\"=" + dir.resolve("rdd-checkpoints")));
    awaitLine("kept-killed", "iter   3");
    killExecutor();
    assertEquals(0, kept.waitFor(), log("kept-killed"));
    assertSameIterate("local-8", "kept-killed");
    assertTrue(log("kept-killed").contains("x kept with its rows, written to"),
        log("kept-killed"));

    if (!intruder.waitFor(3, TimeUnit.MINUTES)) {
      intruder.destroyForcibly().waitFor();
      throw new AssertionError("the submission without the secret hangs: " + log("no-secret"));
    }
    assertEquals(2, intruder.exitValue(), log("no-secret"));
    assertTrue(log("no-secret").contains("error: the master at spark.master"
        + " 'spark://127.0.0.1:7177' (spark-submit's --master) did not accept the application"),
        log("no-secret"));
    assertTrue(Files.readString(CLUSTER.resolve("logs").resolve("master.log"))
        .contains("Expected SaslMessage"), "the master did not refuse it for its secret");
  }

  @Test
  @Order(2)
  void sigtermStopsTheDriverAndResumeEndsBitForBit() throws Exception {
    Process driver = submit("term", args("term", 8));
    awaitLine("term", "iter   3");
    driver.destroy(); // SIGTERM
    assertEquals(StopSignals.EXIT_CODE, driver.waitFor(), log("term"));
    assertTrue(log("term").contains("stopped by SIGTERM after outer iteration"), log("term"));
    assertEquals(0, submit("term", resume(args("term", 8))).waitFor(), log("term"));
    assertTrue(log("term").contains("resuming after outer iteration"), log("term"));
    assertSameIterate("local-8", "term");
  }

  /**
   * Executors killed four times and the driver killed (SIGKILL) twice, each time resumed from
   * its newest checkpoint: the run ends with the undisturbed iterate. Writes the figures to
   * target/fault-soak.txt.
   */
  @Test
  @Order(3)
  void soakOfExecutorAndDriverKillsEndsBitForBit() throws Exception {
    long start = System.nanoTime();
    assertEquals(0, submit("calm", args("calm", 12)).waitFor(), log("calm"));
    double calm = (System.nanoTime() - start) / 1e9;
    assertSameIterate("local-12", "calm");

    start = System.nanoTime();
    List<String> soak = args("soak", 12, "checkpoint.every=1");
    Process driver = submit("soak", soak);
    awaitLine("soak", "iter   2");
    killExecutor();
    awaitLine("soak", "iter   4");
    driver.destroyForcibly().waitFor(); // SIGKILL
    driver = submit("soak", resume(soak));
    awaitLine("soak", "iter   6");
    killExecutor();
    awaitLine("soak", "iter   7");
    killExecutor();
    awaitLine("soak", "iter   8");
    driver.destroyForcibly().waitFor();
    driver = submit("soak", resume(soak));
    awaitLine("soak", "iter  10");
    killExecutor();
    assertEquals(0, driver.waitFor(), log("soak"));
    double soaked = (System.nanoTime() - start) / 1e9;
    assertSameIterate("local-12", "soak");
    Files.writeString(Path.of("target", "fault-soak.txt"), String.format(
        "12 outer iterations on the standalone cluster: undisturbed %.1f s; with 4 executor"
            + " kills and 2 driver kills (SIGKILL, resumed from checkpoint.every = 1): %.1f s,"
            + " same final iterate bit for bit%n", calm, soaked));
  }

  @Test
  @Order(4)
  void executorOutOfMemoryIsOneClearError() throws Exception {
    Path data = Files.createDirectories(dir.resolve("big"));
    idxImages(data.resolve("train-images"), 150_000);
    idxLabels(data.resolve("train-labels"), 150_000);
    idxImages(data.resolve("test-images"), 1000);
    idxLabels(data.resolve("test-labels"), 1000);
    List<String> args = args("oom", 2, "data.dir=" + data, "data.train-images=train-images",
        "data.train-labels=train-labels", "data.test-images=test-images",
        "data.test-labels=test-labels", "data.train-size=140000", "data.val-size=10000",
        "data.test-size=1000");
    Process driver = submit("oom", args, "EXECUTOR_MEMORY", "512m", "DRIVER_MEMORY", "6g");
    assertEquals(2, driver.waitFor(), log("oom"));
    assertTrue(log("oom").contains("error: an executor ran out of memory ("), log("oom"));
    assertTrue(log("oom").contains("give executors more memory"), log("oom"));
  }

  @Test
  @Order(5)
  void lostClusterIsOneClearErrorAndTheRunResumesOnceItIsBack() throws Exception {
    List<String> args = args("lost", 8, "checkpoint.every=10", "spark.no-executor-timeout=15");
    Process driver = submit("lost", args);
    awaitLine("lost", "iter   3");
    for (String pid : List.of("master", "worker-1", "worker-2")) {
      long id = Long.parseLong(Files.readString(CLUSTER.resolve(pid + ".pid")).trim());
      ProcessHandle.of(id).ifPresent(ProcessHandle::destroyForcibly);
    }
    while (killExecutor()) {
      Thread.sleep(100);
    }
    assertEquals(2, driver.waitFor(), log("lost"));
    assertTrue(log("lost").contains("error: no executor for 15 s (all were lost and none came"
        + " back) at spark.master 'spark://127.0.0.1:7177'"), log("lost"));
    assertTrue(Pattern.compile("checkpoint of outer iteration [345] written").matcher(log("lost"))
        .find(), log("lost"));
    assertTrue(Files.exists(dir.resolve("lost.incomplete").resolve("metrics.csv")));
    assertEquals(0, script("stop").waitFor(), "cluster stop");
    assertEquals(0, script("start").waitFor(), "cluster restart");
    assertEquals(0, submit("lost", resume(args)).waitFor(), log("lost"));
    assertSameIterate("local-8", "lost");
  }

  private static List<String> resume(List<String> args) {
    List<String> resumed = new ArrayList<>(args);
    resumed.add(0, "--resume");
    return resumed;
  }

  private static void assertSameIterate(String a, String b) throws Exception {
    for (String file : List.of("x.txt", "y.txt")) {
      assertEquals(Files.readString(dir.resolve(a).resolve(file)),
          Files.readString(dir.resolve(b).resolve(file)), file + " of " + b);
    }
  }

  /** Kills (SIGKILL) one executor of the cluster; false where there was none. */
  private static boolean killExecutor() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutor")
            && p.info().commandLine().orElse("").contains(CLUSTER.toString()))
        .findFirst().map(ProcessHandle::destroyForcibly).orElse(false);
  }

  private static Process script(String command) throws Exception {
    return script(List.of(command), dir.resolve("cluster-" + command + ".log"));
  }

  /** submit-scripts/cluster.sh submit ARGS, its output appended to NAME.log. */
  private static Process submit(String name, List<String> args, String... env)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("submit"));
    command.addAll(args);
    return script(command, dir.resolve(name + ".log"), env);
  }

  private static Process script(List<String> args, Path log, String... env) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "submit-scripts/cluster.sh"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("CLUSTER_DIR", CLUSTER.toString());
    builder.environment().put("MASTER_PORT", "7177");
    builder.environment().put("EXECUTOR_MEMORY", "1g");
    builder.environment().put("DRIVER_MEMORY", "2g");
    for (int i = 0; i < env.length; i += 2) {
      builder.environment().put(env[i], env[i + 1]);
    }
    return builder.start();
  }

  private static String log(String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Waits (up to 5 minutes) until NAME.log has a line that starts with {@code prefix}. */
  private static void awaitLine(String name, String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (log(name).lines().noneMatch(l -> l.startsWith(prefix))) {
      assertTrue(System.nanoTime() < deadline, "no line '" + prefix + "' in " + log(name));
      Thread.sleep(50);
    }
  }

  /** An idx file of {@code n} random 28 × 28 unsigned-byte images, written as it is made. */
  private static void idxImages(Path path, int n) throws Exception {
    Random random = new Random(1);
    try (OutputStream out = Files.newOutputStream(path)) {
      out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(n).putInt(28).putInt(28).array());
      byte[] image = new byte[784];
      for (int i = 0; i < n; i++) {
        random.nextBytes(image);
        out.write(image);
      }
    }
  }

  private static void idxLabels(Path path, int n) throws Exception {
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    try (OutputStream out = Files.newOutputStream(path)) {
      out.write(ByteBuffer.allocate(8).putInt(0x801).putInt(n).array());
      out.write(labels);
    }
  }
}
