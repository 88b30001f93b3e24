package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureStatisticsTest {
  @Test
  void meanAndDeviationAreThoseOfTheValues() {
    FeatureStatistics statistics = new FeatureStatistics(2);
    statistics.add(new double[] {1, 0}, 0);
    statistics.add(new double[] {2, 0}, 0);
    statistics.addSparse(new int[] {1}, new double[] {3}, 0, 1);
    statistics.add(new double[] {5, 1}, 0);
    assertEquals(4, statistics.count());
    assertEquals(2.0, statistics.mean(0));
    assertEquals(Math.sqrt(3.5), statistics.std(0)); // deviations −1, 0, −2, 3: 14 / 4
    assertEquals(1.0, statistics.mean(1));
    assertEquals(Math.sqrt(1.5), statistics.std(1));
  }

  @Test
  void valuesWhoseSquaresOverflowGiveAnInfiniteDeviation() {
    FeatureStatistics statistics = new FeatureStatistics(2);
    statistics.add(new double[] {1e200, 1}, 0);
    statistics.add(new double[] {-1e200, 2}, 0);
    assertEquals(0.0, statistics.mean(0));
    assertEquals(Double.POSITIVE_INFINITY, statistics.std(0));
    assertEquals(0.5, statistics.std(1));
  }

  /**
   * Rows of very different magnitudes, cut into parts at random and merged in any order: the
   * statistics of the rows added one after the other, bit for bit.
   */
  @Test
  void theStatisticsDoNotDependOnHowTheRowsAreCutOrOrdered() {
    Random random = new Random(11);
    double[][] rows = new double[500][3];
    for (double[] row : rows) {
      row[0] = random.nextGaussian() * 1e8 + 3;
      row[1] = random.nextDouble() / 255;
      row[2] = random.nextInt(4) == 0 ? Math.scalb(random.nextGaussian(), 40) : 1e-9;
    }
    FeatureStatistics whole = new FeatureStatistics(3);
    for (double[] row : rows) {
      whole.add(row, 0);
    }
    for (int trial = 0; trial < 5; trial++) {
      FeatureStatistics merged = new FeatureStatistics(3);
      FeatureStatistics part = new FeatureStatistics(3);
      for (int i = rows.length - 1; i >= 0; i--) {
        part.add(rows[i], 0);
        if (random.nextInt(40) == 0) {
          part.merge(merged);
          merged = part;
          part = new FeatureStatistics(3);
        }
      }
      merged.merge(part);
      assertEquals(whole.count(), merged.count());
      for (int j = 0; j < 3; j++) {
        assertEquals(whole.mean(j), merged.mean(j), "mean of " + j);
        assertEquals(whole.std(j), merged.std(j), "deviation of " + j);
      }
    }
  }
}
