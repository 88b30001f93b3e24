package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sparse blocks hold what dense blocks of the same rows hold, through every operation. */
class DataBlockTest {
  private final SparseLabeledData sparse = Blocks.sparse("s", 120, 60, 3, 4, 5);
  private final LabeledData dense = sparse.dense();

  @Test
  void aSparseBlockHoldsTheDenseBlocksValuesAndBias() {
    DataBlock s = sparse.block(10, 70);
    DataBlock d = dense.block(10, 70);
    assertTrue(s.isSparse());
    assertFalse(d.isSparse());
    assertArrayEquals(Blocks.dense(d), Blocks.dense(s));
    assertArrayEquals(d.labels(), s.labels());
    assertArrayEquals(d.index(), s.index());
    // The rows' non-zeros and the biases, nothing else.
    assertEquals(sparse.slice("part", 10, 70).nonZeros() + 60, s.rowStarts()[60]);
    assertEquals(s.rowStarts()[60], s.values().length);
  }

  @Test
  void selectAndConcatenateKeepTheRowsOfEitherStorage() {
    int[] rows = {0, 3, 4, 17, 59};
    assertSame(dense.block(0, 60).select(rows), sparse.block(0, 60).select(rows));
    List<DataBlock> sparseParts = List.of(sparse.block(0, 7), sparse.block(7, 50),
        sparse.block(50, 120));
    List<DataBlock> denseParts = List.of(dense.block(0, 7), dense.block(7, 50),
        dense.block(50, 120));
    List<DataBlock> s = DataBlock.concatenate(sparseParts, 32);
    List<DataBlock> d = DataBlock.concatenate(denseParts, 32);
    assertEquals(4, s.size());
    for (int b = 0; b < 4; b++) {
      assertTrue(s.get(b).isSparse());
      assertSame(d.get(b), s.get(b));
    }
  }

  private static void assertSame(DataBlock expected, DataBlock actual) {
    assertEquals(expected.rows(), actual.rows());
    assertArrayEquals(Blocks.dense(expected), Blocks.dense(actual));
    assertArrayEquals(expected.labels(), actual.labels());
    assertArrayEquals(expected.index(), actual.index());
  }
}
