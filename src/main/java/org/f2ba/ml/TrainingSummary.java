package org.f2ba.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a fit did, outer iteration by outer iteration, as Spark ML's training summaries report
 * it: the validation loss (the upper-level objective f at the run's x and y) with the starting
 * point first, the validation accuracy, the norm of the hyper-gradient estimate, the seconds
 * since the start, and why the run stopped.
 */
public final class TrainingSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] objectiveHistory;
  private final double[] accuracyHistory;
  private final double[] hypergradientNormHistory;
  private final double[] wallSeconds;
  private final String stopReason;

  /**
   * @param rows the run's metrics rows, the starting point's first, each by column name
   */
  TrainingSummary(List<Map<String, String>> rows, String stopReason) {
    this.objectiveHistory = column(rows, "val_loss", 0);
    this.accuracyHistory = column(rows, "val_acc", 0);
    this.hypergradientNormHistory = column(rows, "hypergrad_norm_est", 1);
    this.wallSeconds = column(rows, "wall_s", 0);
    this.stopReason = stopReason;
  }

  /** The validation loss before the first outer iteration and after each. */
  public double[] objectiveHistory() {
    return objectiveHistory.clone();
  }

  /** The validation accuracy before the first outer iteration and after each. */
  public double[] validationAccuracyHistory() {
    return accuracyHistory.clone();
  }

  /** The norm of the hyper-gradient estimate of each outer iteration. */
  public double[] hypergradientNormHistory() {
    return hypergradientNormHistory.clone();
  }

  /** The seconds since the start, at the start (0) and after each outer iteration. */
  public double[] wallSecondsHistory() {
    return wallSeconds.clone();
  }

  /** The outer iterations run. */
  public int totalIterations() {
    return hypergradientNormHistory.length;
  }

  /** Why the run stopped (the iteration limit, the tolerance, the solver's end). */
  public String stopReason() {
    return stopReason;
  }

  private static double[] column(List<Map<String, String>> rows, String name, int from) {
    return rows.subList(from, rows.size()).stream().map(row -> row.get(name))
        .mapToDouble(v -> v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v))
        .toArray();
  }

  @Override
  public String toString() {
    return "TrainingSummary(" + totalIterations() + " outer iterations, validation loss "
        + Arrays.toString(objectiveHistory) + ", " + stopReason + ")";
  }
}
