package org.f2ba.data;

/**
 * The rows of an input as read (a file, a table), which an experiment cuts into its training,
 * validation and test sets, scales and gives label noise. Each operation returns new rows and
 * leaves these as they are.
 */
public interface InputRows extends Rows {
  /** Rows [from, to) of these rows, as a dataset named {@code newName}. */
  InputRows slice(String newName, int from, int to);

  /**
   * The same rows whose labels are replaced as {@link LabelNoise} says, row i with the draw of
   * i.
   */
  InputRows withLabelNoise(double p, long seed);

  /** The same rows with their features scaled; a sparse dataset takes no centering. */
  InputRows scaled(FeatureScaler scaler);

  /** The statistics of the features, row after row. */
  FeatureStatistics statistics();

  /** Whether the features are stored sparse ({@link DataBlock#sparseFor}). */
  boolean sparse();

  /** Refuses a slice [from, to) of {@code name} that is empty or not within its rows. */
  static void checkRange(String name, int from, int to, int rows) {
    if (from < 0 || to > rows || from >= to) {
      throw new InputException(name + ": cannot take rows [" + from + ", " + to + ") of "
          + rows);
    }
  }
}
