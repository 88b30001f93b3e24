package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real Spark standalone cluster (submit-scripts/cluster.sh: a master and two workers, each
 * a JVM of its own), the application jar submitted through SparkSubmit ends with the same iterate
 * as the in-process engine, also when an executor is killed mid-run; stopping the cluster leaves
 * no process behind.
 */
class StandaloneClusterIT {
  private static final Path CLUSTER = Path.of("target", "it-cluster").toAbsolutePath();

  @TempDir
  Path dir;

  private List<String> args(String name) {
    return List.of("conf/default.conf", "spark.partitions=2", "data.train-size=1000",
        "data.val-size=500", "data.test-size=500", "solver.T=8", "solver.K=3",
        "solver.batch.lower=256", "output.dir=" + dir.resolve(name));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void jobsOnAStandaloneClusterMatchInProcessRunsAndSurviveALostExecutor() throws Exception {
    List<String> local = new ArrayList<>(args("local"));
    local.add("engine=local");
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), local.toArray(String[]::new)),
        err.toString());
    try {
      assertEquals(0, script("start").waitFor(), "cluster start");
      Process undisturbed = script(prepend("submit", args("cluster")));
      Thread drain = new Thread(() -> follow(undisturbed, "", new CountDownLatch(1)));
      drain.start();
      assertEquals(0, undisturbed.waitFor(), "undisturbed cluster run");
      drain.join();
      assertSameIterate("local", "cluster");

      Process disturbed = script(prepend("submit", args("killed")));
      CountDownLatch third = new CountDownLatch(1);
      Thread reader = new Thread(() -> follow(disturbed, "iter   3", third));
      reader.start();
      assertTrue(third.await(5, TimeUnit.MINUTES), "the run never reached outer iteration 3");
      ProcessHandle executor = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutor")
              && p.info().commandLine().orElse("").contains(CLUSTER.toString()))
          .findFirst().orElseThrow();
      executor.destroyForcibly(); // SIGKILL
      assertEquals(0, disturbed.waitFor(), "cluster run with a killed executor");
      reader.join();
      assertSameIterate("local", "killed");
    } finally {
      assertEquals(0, script("stop").waitFor(), "cluster stop");
    }
    assertTrue(ProcessHandle.allProcesses().noneMatch(
        p -> p.info().commandLine().orElse("").contains("-Df2ba.cluster=" + CLUSTER)),
        "a process of the cluster is still running");
  }

  private void assertSameIterate(String a, String b) throws Exception {
    for (String file : List.of("x.txt", "y.txt")) {
      assertEquals(Files.readString(dir.resolve(a).resolve(file)),
          Files.readString(dir.resolve(b).resolve(file)), file + " of " + b);
    }
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  private Process script(String... args) throws Exception {
    return script(List.of(args));
  }

  private Process script(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "submit-scripts/cluster.sh"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CLUSTER_DIR", CLUSTER.toString());
    builder.environment().put("MASTER_PORT", "7177");
    builder.environment().put("EXECUTOR_MEMORY", "1g");
    builder.environment().put("DRIVER_MEMORY", "2g");
    if (!args.get(0).equals("submit")) {
      builder.redirectOutput(dir.resolve("cluster-" + args.get(0) + ".log").toFile());
    }
    return builder.start();
  }

  /** Reads the process's output to its end, counting down once a line starts with {@code at}. */
  private static void follow(Process process, String at, CountDownLatch reached) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(
        process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(at)) {
          reached.countDown();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
