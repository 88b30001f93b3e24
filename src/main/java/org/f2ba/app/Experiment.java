package org.f2ba.app;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.f2ba.data.Rows;
import org.f2ba.engine.DataRole;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.report.Figure;

/**
 * A bilevel problem bound to its datasets (none for the paper's synthetic instances; rows held
 * in memory, or described by where they are made) and starting point, with any metrics of x
 * that the experiment reports besides losses and accuracies (e.g. the F1 score of
 * hyper-cleaning), the figures of x its run's report shows (e.g. the learned weights of clean
 * and corrupted rows), and its true hyper-gradient ∇φ where it is known in closed form (else
 * null).
 */
public record Experiment(String name, BilevelProblem problem,
    Map<DataRole, ? extends Rows> data, double[] x0, double[] y0, List<XMetric> xMetrics,
    List<Function<double[], Figure>> xFigures, UnaryOperator<double[]> hypergradient) {

  /** The datasets, if every one is a {@code type}; else null. */
  public <T extends Rows> Map<DataRole, T> dataOf(Class<T> type) {
    if (!data.values().stream().allMatch(type::isInstance)) {
      return null;
    }
    Map<DataRole, T> typed = new EnumMap<>(DataRole.class);
    data.forEach((role, rows) -> typed.put(role, type.cast(rows)));
    return typed;
  }

  /** A named metric of the hyperparameters x. */
  public record XMetric(String name, ToDoubleFunction<double[]> value) {
  }
}
