package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * A selector copies the rows it is given of either storage; a later, smaller selection reuses
   * its arrays, and its blocks hold their rows only.
   */
  @Test
  void aSelectorCopiesTheRowsOfEitherStorage() {
    DataBlock.Selector denseSelector = new DataBlock.Selector();
    DataBlock.Selector sparseSelector = new DataBlock.Selector();
    // Rows numbered from 100: the block's rows 0, 3, 4, 17 and 59, then 1 and 58.
    for (int[] drawn : new int[][] {{100, 103, 104, 117, 159}, {101, 158}}) {
      List<DataBlock> rows = new ArrayList<>();
      for (int row : drawn) {
        rows.add(dense.block(row - 100, row - 99));
      }
      DataBlock expected = DataBlock.concatenate(rows, drawn.length).get(0);
      DataBlock d = denseSelector.select(dense.block(0, 60), 100, drawn, 0, drawn.length);
      DataBlock s = sparseSelector.select(sparse.block(0, 60), 100, drawn, 0, drawn.length);
      assertFalse(d.isSparse());
      assertTrue(s.isSparse());
      assertSame(expected, d);
      assertSame(expected, s);
    }
    // A range of the drawn rows.
    DataBlock part = denseSelector.select(dense.block(0, 60), 0, new int[] {1, 2, 3, 4}, 1, 3);
    assertSame(DataBlock.concatenate(List.of(dense.block(2, 4)), 2).get(0), part);
  }

  @Test
  void concatenateKeepsTheRowsOfEitherStorage() {
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
    int rows = expected.rows();
    assertEquals(rows, actual.rows());
    assertArrayEquals(Blocks.dense(expected), Blocks.dense(actual));
    assertArrayEquals(expected.labels(), Arrays.copyOf(actual.labels(), rows));
    assertArrayEquals(expected.index(), Arrays.copyOf(actual.index(), rows));
  }
}
