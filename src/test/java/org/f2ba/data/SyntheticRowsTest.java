package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticRowsTest {
  private final SyntheticRows train = new SyntheticRows("train", 2000, 6, 4, 1.0, 0.5, 7, 0,
      null);

  @Test
  void aRowIsTheSameInWhicheverBlockItIsMade() {
    DataBlock all = train.block(0, 50);
    DataBlock part = train.block(10, 20);
    assertArrayEquals(Arrays.copyOfRange(all.values(), 10 * 7, 20 * 7), part.values());
    assertArrayEquals(Arrays.copyOfRange(all.labels(), 10, 20), part.labels());
    assertArrayEquals(new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, part.index());
    assertEquals(1.0f, part.values()[6]); // the bias
  }

  @Test
  void labelsAreTheBlocksLabelsWithNoiseOnTheTrueOnes() {
    double[] labels = train.labels();
    assertArrayEquals(Blocks.labels(train.block(0, 2000)), labels);
    double[] truth = train.trueLabels();
    long changed = 0;
    for (int i = 0; i < labels.length; i++) {
      changed += labels[i] != truth[i] ? 1 : 0;
      assertTrue(truth[i] >= 0 && truth[i] < 4);
    }
    // p = 0.5, of which a quarter draws the true class again: about 0.375 changed.
    assertEquals(0.375, changed / 2000.0, 0.04);
  }

  @Test
  void datasetsOfOneSeedShareTheClassMeansButNotTheRows() {
    SyntheticRows validation = new SyntheticRows("val", 4000, 6, 4, 1.0, 0, 7, 1, null);
    double[][] trainMeans = classMeans(new SyntheticRows("clean train", 4000, 6, 4, 1.0, 0, 7,
        0, null));
    double[][] valMeans = classMeans(validation);
    for (int c = 0; c < 4; c++) {
      assertArrayEquals(trainMeans[c], valMeans[c], 0.1, "class " + c);
    }
    assertTrue(!Arrays.equals(train.block(0, 1).values(), validation.block(0, 1).values()));
  }

  private static double[][] classMeans(SyntheticRows rows) {
    DataBlock block = rows.block(0, rows.rows());
    double[][] means = new double[4][6];
    int[] counts = new int[4];
    for (int i = 0; i < block.rows(); i++) {
      int c = (int) block.labels()[i];
      counts[c]++;
      for (int j = 0; j < 6; j++) {
        means[c][j] += block.values()[i * 7 + j];
      }
    }
    for (int c = 0; c < 4; c++) {
      for (int j = 0; j < 6; j++) {
        means[c][j] /= counts[c];
      }
    }
    return means;
  }

  @Test
  void sparseRowsAreWordCountsDrawnMostlyFromTheirClassVocabulary() {
    SyntheticRows sparse = new SyntheticRows("sparse", 500, 5000, 4, 0, 0, 7, 0,
        new SyntheticRows.Sparsity(20, 50, 0.6));
    DataBlock all = sparse.block(0, 500);
    DataBlock part = sparse.block(100, 140);
    assertTrue(all.isSparse());
    assertArrayEquals(Arrays.copyOfRange(Blocks.dense(all), 100 * 5001, 140 * 5001),
        Blocks.dense(part));
    assertArrayEquals(sparse.trueLabels(), Blocks.labels(all));
    // The counts of a row add up to its draws, the bias apart.
    float[] row = Arrays.copyOfRange(Blocks.dense(all), 0, 5001);
    double draws = 0;
    for (int j = 0; j < 5000; j++) {
      draws += row[j];
    }
    assertEquals(20, draws);
    assertEquals(1.0f, row[5000]);
    // Rows of one class share features (their vocabulary) twice as often as two classes do.
    assertTrue(overlap(all, 0, 0) > 2 * overlap(all, 0, 1), overlap(all, 0, 0) + " vs "
        + overlap(all, 0, 1));
  }

  /**
   * The features that 40 rows of class a and 40 other rows of class b (the next 40 of the class
   * when a = b) both have.
   */
  private static int overlap(DataBlock block, int a, int b) {
    boolean[][] seen = new boolean[2][block.width() - 1];
    int[] counted = new int[2];
    for (int i = 0; i < block.rows(); i++) {
      int c = block.labels()[i] == a && counted[0] < 40 ? 0
          : block.labels()[i] == b && counted[1] < 40 ? 1 : -1;
      if (c >= 0) {
        counted[c]++;
        for (int k = block.rowStarts()[i]; k < block.rowStarts()[i + 1] - 1; k++) {
          seen[c][block.columns()[k]] = true;
        }
      }
    }
    int both = 0;
    for (int j = 0; j < seen[0].length; j++) {
      both += seen[0][j] && seen[1][j] ? 1 : 0;
    }
    return both;
  }
}
