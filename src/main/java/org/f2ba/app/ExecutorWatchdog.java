package org.f2ba.app;

import org.apache.spark.SparkContext;

/**
 * Ends the jobs of a run whose cluster has had no executor for a given time: at the start (the
 * cluster has no free cores or memory for the application) or mid-run (the workers are gone),
 * where Spark itself would wait for ever. Polls once a second on a daemon thread.
 */
final class ExecutorWatchdog implements AutoCloseable {
  private final SparkContext context;
  private final double timeoutSeconds;
  private final Thread thread;
  private volatile boolean sawExecutor;
  private volatile String reason;

  ExecutorWatchdog(SparkContext context, double timeoutSeconds) {
    this.context = context;
    this.timeoutSeconds = timeoutSeconds;
    this.thread = new Thread(this::watch, "f2ba-executor-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  /** Why the jobs were ended, or null while they were not. */
  String reason() {
    return reason;
  }

  /** Whether an executor was ever registered. */
  boolean sawExecutor() {
    return sawExecutor;
  }

  private void watch() {
    long since = System.nanoTime();
    while (!context.isStopped()) {
      // The list holds the driver too.
      if (context.statusTracker().getExecutorInfos().length > 1) {
        sawExecutor = true;
        since = System.nanoTime();
      } else if ((System.nanoTime() - since) / 1e9 > timeoutSeconds) {
        reason = String.format("no executor for %.0f s (%s)", timeoutSeconds, sawExecutor
            ? "all were lost and none came back" : "none was ever started: the cluster has no"
            + " free cores or memory for the application, or its workers are gone");
        context.cancelAllJobs();
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
