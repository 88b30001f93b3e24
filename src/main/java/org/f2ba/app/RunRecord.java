package org.f2ba.app;

import java.util.List;

/**
 * Where a run records what it computes: a metrics row per outer iteration (the columns of
 * {@link BilevelRun#columns}) and its final vectors. {@link RunOutput} writes them to a
 * directory; an estimator keeps them in memory for its model's summary.
 */
public interface RunRecord {
  /** Records one row of metrics. */
  void row(List<?> values);

  /** Records a vector by name (x.txt, y.txt). */
  void vector(String name, double[] values);

  /** Where the metrics recorded so far can be found, for a message. */
  String location();
}
