package org.f2ba.ml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.f2ba.app.RunRecord;
import org.f2ba.report.Figure;

/** A run's record kept in memory, for an estimator's model and its summary. */
final class FitHistory implements RunRecord {
  private final List<String> columns;
  private final List<Map<String, String>> rows = new ArrayList<>();
  private final Map<String, double[]> vectors = new HashMap<>();

  FitHistory(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  @Override
  public void row(List<?> values) {
    Map<String, String> row = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.put(columns.get(i), String.valueOf(values.get(i)));
    }
    rows.add(row);
  }

  @Override
  public void vector(String name, double[] values) {
    vectors.put(name, values.clone());
  }

  /** Not kept: the model exposes the learned hyperparameters themselves. */
  @Override
  public void figure(Figure figure) {
  }

  @Override
  public String location() {
    return "the estimator's memory";
  }

  /** The vector recorded as {@code name} (x.txt, y.txt). */
  double[] vector(String name) {
    return vectors.get(name);
  }

  TrainingSummary summary(String stopReason) {
    return new TrainingSummary(rows, stopReason);
  }
}
