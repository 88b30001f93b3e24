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

  int numClasses();

  /** The label of every row, for metrics computed where the labels are needed. */
  int[] labels();
}
