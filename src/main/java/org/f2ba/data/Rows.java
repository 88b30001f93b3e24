package org.f2ba.data;

import java.io.Serializable;

/**
 * The labeled rows of one dataset, wherever they come from: held in memory ({@link LabeledData},
 * read by the driver) or made where they are needed ({@link SyntheticRows}), so that the blocks
 * of a partition can be built on the executor that caches them. Rows are numbered from 0 in the
 * whole dataset; label noise and per-sample hyperparameters are indexed by that number.
 */
public interface Rows extends Serializable {
  String name();

  int rows();

  /** Features per row, without the bias. */
  int dim();

  int numClasses();

  /**
   * Whether the rows are in this JVM's memory already (then blocks are built where they are and
   * shipped), rather than made by {@link #block} wherever it runs.
   */
  boolean inMemory();

  /** Rows [from, to) as a dense float32 block with a bias column appended. */
  DataBlock block(int from, int to);

  /** The label of every row, for metrics computed where the labels are needed. */
  int[] labels();
}
