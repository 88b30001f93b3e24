package org.f2ba.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchSamplerTest {
  @Test
  void sharesAddUpToTheBatchAndFollowShardSizes() {
    int[] sizes = {1000, 1001, 3, 2000};
    int total = 0;
    for (int p = 0; p < sizes.length; p++) {
      int share = BatchSampler.share(257, sizes, p);
      assertTrue(share <= sizes[p]);
      total += share;
    }
    assertEquals(257, total);
    assertEquals(128, BatchSampler.share(256, new int[] {500, 500}, 0));
  }

  @Test
  void drawsAreDistinctSortedInRangeAndReproducible() {
    int[] rows = BatchSampler.draw(300, 1000, 7, 3, DataRole.LOWER, 1);
    assertEquals(300, Arrays.stream(rows).distinct().count());
    assertTrue(rows[0] >= 0 && rows[299] < 1000);
    for (int i = 1; i < rows.length; i++) {
      assertTrue(rows[i - 1] < rows[i]);
    }
    assertArrayEquals(rows, BatchSampler.draw(300, 1000, 7, 3, DataRole.LOWER, 1));
    assertTrue(!Arrays.equals(rows, BatchSampler.draw(300, 1000, 7, 4, DataRole.LOWER, 1)));
    assertTrue(!Arrays.equals(rows, BatchSampler.draw(300, 1000, 7, 3, DataRole.UPPER, 1)));
  }

  @Test
  void aFullDrawTakesEveryRow() {
    int[] rows = BatchSampler.draw(50, 50, 1, 1, DataRole.UPPER, 0);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, rows[i]);
    }
  }

  @Test
  void partsOfAPartitionTakeEveryRowOnceAndDifferBySizeByAtMostOne() {
    int[] seen = new int[103];
    for (int part = 0; part < 4; part++) {
      int[] rows = BatchSampler.part(part, 4, 103, 7, DataRole.LOWER, 1);
      assertTrue(rows.length == 25 || rows.length == 26, "part " + part + ": " + rows.length);
      for (int i = 1; i < rows.length; i++) {
        assertTrue(rows[i - 1] < rows[i]);
      }
      for (int row : rows) {
        seen[row]++;
      }
      assertArrayEquals(rows, BatchSampler.part(part, 4, 103, 7, DataRole.LOWER, 1));
    }
    for (int count : seen) {
      assertEquals(1, count);
    }
    assertTrue(!Arrays.equals(BatchSampler.part(0, 4, 103, 7, DataRole.LOWER, 1),
        BatchSampler.part(0, 4, 103, 8, DataRole.LOWER, 1)));
  }
}
