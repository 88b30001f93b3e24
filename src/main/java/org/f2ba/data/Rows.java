package org.f2ba.data;

/**
 * The labeled rows of one dataset, as an experiment sees them, wherever they are: held in
 * memory, made by row number where they are needed ({@link RangeRows}), or read by a Spark data
 * source on the executors ({@link TableRows}). Rows are numbered from 0 in the whole dataset;
 * label noise and per-sample hyperparameters are indexed by that number.
 */
public interface Rows {
  String name();

  int rows();

  /** Features per row, without the bias. */
  int dim();

  /** The number of classes, or 0 where the labels are real values (regression). */
  int numClasses();

  /** The label of every row, for metrics computed where the labels are needed. */
  double[] labels();

  /**
   * What is wrong with {@code label} as a label of a dataset of {@code numClasses} classes (a
   * class index in [0, numClasses)), or of real values where numClasses is 0 (finite), said of
   * "label …" (e.g. "is not a finite number"); null where nothing is.
   */
  static String labelProblem(double label, int numClasses) {
    if (numClasses == 0) {
      return Double.isFinite(label) ? null : "is not a finite number";
    }
    return label == Math.rint(label) && label >= 0 && label < numClasses ? null
        : "is not one of the " + numClasses + " classes 0, ..., " + (numClasses - 1);
  }
}
