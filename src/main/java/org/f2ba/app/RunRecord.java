package org.f2ba.app;

import java.util.List;
import org.f2ba.report.Figure;

/**
 * Where a run records what it computes: a metrics row per outer iteration (the columns of
 * {@link BilevelRun#columns}), its final vectors and the experiment's figures of them. {@link
 * RunOutput} writes them to a directory, with a report; an estimator keeps the rows and vectors
 * in memory for its model's summary.
 */
public interface RunRecord {
  /** Records one row of metrics. */
  void row(List<?> values);

  /** Records a vector by name (x.txt, y.txt). */
  void vector(String name, double[] values);

  /** Records a figure of the final hyperparameters, for the run's report. */
  void figure(Figure figure);

  /** Where the metrics recorded so far can be found, for a message. */
  String location();
}
