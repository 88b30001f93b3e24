package org.f2ba.data;

import java.io.Serializable;

/**
 * Rows that can be made by row range anywhere: held in memory ({@link LabeledData}, read by the
 * driver) or made where they are needed ({@link SyntheticRows}), so that the blocks of a
 * partition can be built on the executor that caches them.
 */
public interface RangeRows extends Rows, Serializable {
  /**
   * Whether the rows are in this JVM's memory already (then blocks are built where they are and
   * shipped), rather than made by {@link #block} wherever it runs.
   */
  boolean inMemory();

  /**
   * Rows [from, to) as a float32 block with a bias column appended, dense or sparse as the
   * dataset is stored.
   */
  DataBlock block(int from, int to);
}
