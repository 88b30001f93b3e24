package org.f2ba.app;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.f2ba.data.LabeledData;
import org.f2ba.engine.DataRole;
import org.f2ba.problem.BilevelProblem;

/**
 * A bilevel problem bound to its datasets and starting point, with any metrics of x that the
 * experiment reports besides losses and accuracies (e.g. the F1 score of hyper-cleaning).
 */
public record Experiment(String name, BilevelProblem problem, Map<DataRole, LabeledData> data,
    double[] x0, double[] y0, List<XMetric> xMetrics) {

  /** A named metric of the hyperparameters x. */
  public record XMetric(String name, ToDoubleFunction<double[]> value) {
  }
}
