package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticRowsTest {
  private final SyntheticRows train = new SyntheticRows("train", 2000, 6, 4, 1.0, 0.5, 7, 0);

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
    int[] labels = train.labels();
    assertArrayEquals(train.block(0, 2000).labels(), labels);
    int[] truth = train.trueLabels();
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
    SyntheticRows validation = new SyntheticRows("val", 4000, 6, 4, 1.0, 0, 7, 1);
    double[][] trainMeans = classMeans(new SyntheticRows("clean train", 4000, 6, 4, 1.0, 0, 7,
        0));
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
      int c = block.labels()[i];
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
}
