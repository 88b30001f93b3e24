package org.f2ba.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.f2ba.data.InputException;

/**
 * A run's SparkContext, created on first use: the one already active in this JVM (when the
 * application is embedded), else a new one with the config's master unless spark-submit set
 * one. Before it starts, the master URL is checked and a standalone master is reached, so that
 * a typo or a cluster that is down is one line at once instead of a minute of retries. While it
 * runs, a watchdog ends the jobs of a cluster that has had no executor for
 * spark.no-executor-timeout seconds. {@link #explain} turns Spark's failures into one message
 * naming the cause and the setting to change. Stops only a context it started.
 */
final class SparkConnection implements AutoCloseable {
  private static final Pattern LOCAL = Pattern.compile(
      "local(\\[(\\d+|\\*)(,\\s*\\d+)?])?|local-cluster\\[\\d+,\\s*\\d+,\\s*\\d+]");
  private static final Pattern STANDALONE = Pattern.compile("spark://(.+)");
  private static final Pattern HOST_PORT = Pattern.compile("\\[?([^\\]]+?)]?:(\\d{1,5})");
  private static final Pattern OTHER = Pattern.compile("yarn|k8s://.+");
  /**
   * What an executor out of memory leaves in Spark's failures: the error itself, Spark's exit
   * code for it (SparkExitCode.OOM = 52), or the resource manager's kill for exceeding memory.
   */
  private static final Pattern OOM = Pattern.compile(
      "OutOfMemoryError|exited with code 52|exit code 52|exceeding (physical )?memory limits"
          + "|Container killed .* memory|OOMKilled");

  private final RunConfig config;
  private SparkContext context;
  private boolean started;
  private String master;
  private String masterOrigin;
  private ExecutorWatchdog watchdog;
  /** How many of the newest cluster events are kept for {@link #explain}. */
  private static final int KEPT_EVENTS = 100;

  /**
   * Why executors were removed and tasks failed, as Spark's listener bus reported it (the job's
   * own failure names only the last attempt of one task: an executor that ran out of memory
   * often shows there only as the next executor refusing the retry).
   */
  private final Queue<String> clusterEvents = new ConcurrentLinkedQueue<>();
  /** Open once the listener bus has delivered the end of a failed job. */
  private final CountDownLatch failedJobSeen = new CountDownLatch(1);

  SparkConnection(RunConfig config) {
    this.config = config;
  }

  SparkContext context() {
    if (context == null) {
      String owner = UUID.randomUUID().toString();
      SparkConf conf = new SparkConf().setAppName("f2ba")
          .setIfMissing("spark.ui.showConsoleProgress", "false")
          .set("spark.f2ba.owner", owner);
      masterOrigin = conf.contains("spark.master") ? "spark-submit's --master"
          : "config key 'spark.master'";
      conf.setIfMissing("spark.master", config.string("spark.master"));
      // One BLAS thread a task: tasks already fill the cores (see Blas).
      for (String threads : List.of("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
        conf.setIfMissing("spark.executorEnv." + threads, "1");
      }
      config.sparkProperties().forEach(conf::set);
      master = conf.get("spark.master");
      String secretFile = config.string("spark.secret-file");
      if (!secretFile.isEmpty()) {
        conf.set("spark.authenticate", "true")
            .set("spark.authenticate.secret", readSecret(secretFile));
      }
      checkMaster();
      try {
        context = SparkContext.getOrCreate(conf);
      } catch (RuntimeException e) {
        throw new InputException("Spark did not start with " + where() + ": "
            + firstLine(describe(e)) + (STANDALONE.matcher(master)
            .matches() ? "; check that the master runs there and, where the cluster requires"
            + " authentication, that spark.secret-file names its secret" : ""), e);
      }
      started = context.getConf().get("spark.f2ba.owner", "").equals(owner);
      // A standalone master names the applications it registers app-DATE-NUMBER; Spark
      // returns from one it gave up registering with a provisional id and stops it in another
      // thread, where a job submitted meanwhile can wait for ever.
      if (started && STANDALONE.matcher(master).matches()
          && !context.applicationId().startsWith("app-")) {
        throw notAccepted("Spark gave up registering it", null);
      }
      context.addSparkListener(new SparkListener() {
        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
          record("executor " + removed.executorId() + ": " + removed.reason());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (end.reason() instanceof TaskFailedReason failed) {
            record("task " + end.taskInfo().id() + " on executor " + end.taskInfo().executorId()
                + ": " + failed.toErrorString().lines().findFirst().orElse(""));
          }
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd end) {
          if (end.jobResult() != JobSucceeded$.MODULE$) {
            failedJobSeen.countDown();
          }
        }
      });
      double timeout = config.nonNegative("spark.no-executor-timeout");
      if (started && !context.isLocal() && timeout > 0) {
        watchdog = new ExecutorWatchdog(context, timeout);
      }
    }
    return context;
  }

  /**
   * The one message that says what went wrong with Spark and which setting to change, or null
   * where {@code failure} is not Spark's. Called only for failures that carry no message of the
   * program's own.
   */
  InputException explain(Throwable failure) {
    if (context == null) {
      return null;
    }
    awaitListenerBus();
    String text = describe(failure) + String.join("\n", clusterEvents);
    String where = where();
    if (watchdog != null && watchdog.reason() != null) {
      return new InputException(watchdog.reason() + " at " + where + "; the run was stopped:"
          + " bring the cluster back and continue with --resume, or raise"
          + " spark.no-executor-timeout (0: wait for ever)", failure);
    }
    boolean neverRan = watchdog != null && !watchdog.sawExecutor() && context.isStopped();
    if (neverRan || text.contains("All masters are unresponsive")
        || text.contains("Master removed our") || text.contains("Application has been killed")) {
      return notAccepted(neverRan ? "Spark gave up registering it" : firstLine(text), failure);
    }
    Matcher oom = OOM.matcher(text);
    if (oom.find()) {
      int from = text.lastIndexOf('\n', oom.start()) + 1;
      int to = text.indexOf('\n', oom.end());
      return new InputException("an executor ran out of memory ("
          + shortened(text.substring(from, to < 0 ? text.length() : to))
          + "): give executors more memory"
          + " (spark-submit --executor-memory, or spark.conf {"
          + " \"spark.executor.memory\" = \"4g\" }) or split the data into more partitions"
          + " (spark.partitions)", failure);
    }
    if (context.isStopped() || text.contains("SparkContext was shut down")) {
      return new InputException("the connection to the cluster at " + where + " was lost ("
          + firstLine(text) + "); continue with --resume once it is back", failure);
    }
    if (text.contains("Job aborted due to stage failure")) {
      return new InputException("a Spark job failed (" + firstLine(text) + "): see the"
          + " executors' logs; spark.conf { \"spark.task.maxFailures\" = ... } sets how often a"
          + " task is retried", failure);
    }
    return null;
  }

  @Override
  public void close() {
    if (watchdog != null) {
      watchdog.close();
    }
    if (started) {
      context.stop();
    }
  }

  private InputException notAccepted(String why, Throwable failure) {
    return new InputException("the master at " + where() + " did not accept the application ("
        + why + "): check that the master runs there and, where the cluster requires"
        + " authentication, that spark.secret-file names its secret", failure);
  }

  private void record(String event) {
    clusterEvents.add(event);
    while (clusterEvents.size() > KEPT_EVENTS) {
      clusterEvents.poll();
    }
  }

  /**
   * Waits (up to 5 s) until the listener bus has delivered the end of the failed job, and with
   * it every event posted before: the failures of its tasks, the executors lost meanwhile.
   */
  private void awaitListenerBus() {
    if (context.isStopped()) {
      return;
    }
    try {
      failedJobSeen.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Refuses a master URL Spark does not know, and a standalone master nobody answers at. */
  private void checkMaster() {
    String where = where();
    if (LOCAL.matcher(master).matches() || OTHER.matcher(master).matches()) {
      return;
    }
    Matcher standalone = STANDALONE.matcher(master);
    if (!standalone.matches()) {
      throw new InputException(where + " is not a master URL: use local[N], spark://HOST:PORT,"
          + " yarn or k8s://HOST:PORT");
    }
    List<String> refused = new ArrayList<>();
    for (String address : standalone.group(1).split(",")) {
      Matcher hostPort = HOST_PORT.matcher(address.trim());
      if (!hostPort.matches()) {
        throw new InputException(where + ": '" + address + "' is not HOST:PORT");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(hostPort.group(1),
            Integer.parseInt(hostPort.group(2))), 5000);
        return;
      } catch (IOException | IllegalArgumentException e) {
        refused.add(address.trim() + " (" + (e instanceof UnknownHostException ? "unknown host"
            : e.getMessage()) + ")");
      }
    }
    throw new InputException(where + ": no master answers at " + String.join(", ", refused)
        + ": start the cluster, or correct the master URL");
  }

  /** The master URL and who set it. */
  private String where() {
    return "spark.master '" + master + "' (" + masterOrigin + ")";
  }

  /** The secret of spark.secret-file, which must be readable by its owner alone. */
  private String readSecret(String file) {
    Path path = Path.of(file);
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      for (PosixFilePermission p : permissions) {
        if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
          throw config.invalid("spark.secret-file", file + " can be read or written by others"
              + " than its owner: chmod 600 it");
        }
      }
      String secret = Files.readString(path, StandardCharsets.UTF_8).trim();
      if (secret.isEmpty()) {
        throw config.invalid("spark.secret-file", file + " is empty");
      }
      return secret;
    } catch (UnsupportedOperationException e) {
      throw config.invalid("spark.secret-file", "cannot check who may read " + file);
    } catch (IOException e) {
      throw config.invalid("spark.secret-file", "cannot read " + file + " ("
          + e.getMessage() + ")");
    }
  }

  /** The messages of a failure and its causes, one after the other. */
  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      text.append(t).append('\n');
    }
    return text.toString();
  }

  /** The most telling line of Spark's failure text, at most 200 characters. */
  private static String firstLine(String text) {
    String from = text;
    for (String key : List.of("Reason: ", "ExecutorLostFailure", "failure: ", "Exception: ")) {
      int at = text.indexOf(key);
      if (at >= 0) {
        from = text.substring(at);
        break;
      }
    }
    return shortened(from.lines().findFirst().orElse(""));
  }

  private static String shortened(String line) {
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
