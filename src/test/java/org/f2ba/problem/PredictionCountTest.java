package org.f2ba.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.f2ba.TestData;
import org.f2ba.data.DataBlock;
import org.f2ba.data.LabeledData;
import org.junit.jupiter.api.Test;

/**
 * The correct predictions a cross-entropy loss counts: a row is predicted as the class of its
 * largest logit, the first such class where several tie.
 */
class PredictionCountTest {
  private static final int CLASSES = 4;
  private final LabeledData data = TestData.clusters("predict", 200, 5, CLASSES, 3);
  private final DataBlock block = DataBlock.of(data, 0, data.rows());

  @Test
  void countsTheRowsWhoseLargestLogitIsTheirLabel() {
    double[] y = TestData.gaussian(block.width() * CLASSES, 0.5, 4);
    assertEquals(countedBySearch(y), counted(y, Arithmetic.DOUBLE));
    assertEquals(countedBySearch(y), counted(y, Arithmetic.DEFAULT));
  }

  /** At the zero model all logits tie, and every row is predicted as class 0. */
  @Test
  void tiesGoToTheFirstClass() {
    long zeros = 0;
    for (float label : block.labels()) {
      zeros += label == 0 ? 1 : 0;
    }
    assertEquals(zeros, counted(new double[block.width() * CLASSES], Arithmetic.DEFAULT));
  }

  private long counted(double[] y, Arithmetic arithmetic) {
    LossSums sums = new LossSums(0, y.length, false, false, 1);
    new CrossEntropyLoss(CLASSES).accumulate(block, arithmetic, new double[0],
        new double[][] {y}, new LossSums[] {sums});
    return (long) sums.statistics[0];
  }

  private long countedBySearch(double[] y) {
    int width = block.width();
    long correct = 0;
    for (int i = 0; i < block.rows(); i++) {
      int best = 0;
      double bestLogit = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        double logit = 0;
        for (int j = 0; j < width; j++) {
          logit += y[c * width + j] * block.values()[i * width + j];
        }
        if (logit > bestLogit) {
          best = c;
          bestLogit = logit;
        }
      }
      correct += best == (int) block.labels()[i] ? 1 : 0;
    }
    return correct;
  }
}
