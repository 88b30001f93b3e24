package org.f2ba.data;

import org.apache.spark.ml.linalg.Vector;

/** Input rows read into this JVM's memory from files, dense or sparse. */
public interface InMemoryRows extends InputRows, RangeRows {
  @Override
  InMemoryRows slice(String newName, int from, int to);

  /** The features of row {@code row}, as a Spark ML vector. */
  Vector vector(int row);

  @Override
  default boolean inMemory() {
    return true;
  }

  /** Refuses an empty dataset, and labels that {@link Rows#labelProblem} refuses. */
  static void checkLabels(String name, double[] labels, int numClasses) {
    if (labels.length == 0) {
      throw new InputException(name + ": the dataset is empty");
    }
    for (int i = 0; i < labels.length; i++) {
      String problem = Rows.labelProblem(labels[i], numClasses);
      if (problem != null) {
        throw new InputException(name + ": sample " + i + ": label " + labels[i] + " "
            + problem);
      }
    }
  }
}
