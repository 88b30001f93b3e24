package org.f2ba.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.f2ba.TestData;
import org.f2ba.data.DataBlock;
import org.f2ba.data.LabeledData;
import org.f2ba.data.RangeRows;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.CrossEntropyLoss;
import org.f2ba.problem.L2Penalty;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.WeightedCrossEntropyLoss;
import org.junit.jupiter.api.Test;

/**
 * A shard's sums over a mini-batch are the losses of the drawn rows, whichever blocks they
 * fall in: gradients in x and y, and a second-order product, against the same rows gathered
 * into a block of their own (products in double precision, so that the blocks the rows come in
 * change only rounding). Batches of decreasing size follow one another, so that the rows of
 * each are copied into arrays a larger one has left.
 */
class MiniBatchRowsTest {
  private static final int CLASSES = 3;
  private static final int DIM = 4;
  private static final int WIDTH = DIM + 1;
  private final LabeledData train = TestData.clusters("train", 90, DIM, CLASSES, 5);
  private final WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(CLASSES);
  private final BilevelProblem problem = new BilevelProblem(train.rows(), WIDTH * CLASSES,
      new CrossEntropyLoss(CLASSES), loss, null, L2Penalty.fixed(0.01));

  @Test
  void batchSumsAreTheLossesOfTheDrawnRows() {
    Map<DataRole, RangeRows> data = new EnumMap<>(Map.of(DataRole.LOWER, train,
        DataRole.UPPER, TestData.clusters("val", 20, DIM, CLASSES, 6)));
    // Two shards of 45 rows in blocks of 16: a batch's rows fall in several blocks.
    Shard shard = Sharding.split(data, 2, 16).get(1);
    int first = shard.firstRow(DataRole.LOWER);
    double[] x = TestData.gaussian(train.rows(), 1.0, 7);
    double[] y = TestData.gaussian(WIDTH * CLASSES, 0.5, 8);
    double[] v = TestData.gaussian(WIDTH * CLASSES, 1.0, 9);
    double[] xSeen = shard.xSeen(problem, x);
    for (int batch : new int[] {60, 24, 6}) {
      long seed = 11;
      Draw draw = Draw.random(batch);
      Evaluation evaluation = new Evaluation(null, new double[][] {y, v},
          List.of(LossRequest.lower(0).withGradX().withGradY(),
              LossRequest.lower(0).withGradX().withGradY().along(1)),
          draw, seed, new BatchSizes(0, batch), Arithmetic.DOUBLE);
      LossSums[] sums = shard.evaluate(problem, evaluation, xSeen);

      int share = BatchSampler.share(batch, new int[] {45, 45}, 1);
      int[] rows = BatchSampler.draw(share, 45, seed, draw.number(), DataRole.LOWER, 1);
      List<DataBlock> single = new ArrayList<>();
      for (int row : rows) {
        single.add(train.block(first + row, first + row + 1));
      }
      DataBlock drawn = DataBlock.concatenate(single, rows.length).get(0);
      LossSums value = new LossSums(first, 45, y.length, true, true, 1);
      loss.accumulate(drawn, Arithmetic.DOUBLE, xSeen, new double[][] {y},
          new LossSums[] {value});
      LossSums along = new LossSums(first, 45, y.length, true, true, 1);
      loss.accumulateAlong(drawn, Arithmetic.DOUBLE, xSeen, y, v, along);

      assertEquals(share, sums[0].count);
      assertEquals(value.value, sums[0].value, 1e-12);
      assertEquals(value.statistics[0], sums[0].statistics[0]);
      assertArrayEquals(value.gradX, sums[0].gradX, 1e-12);
      assertArrayEquals(value.gradY, sums[0].gradY, 1e-12);
      assertEquals(along.value, sums[1].value, 1e-12);
      assertArrayEquals(along.gradX, sums[1].gradX, 1e-12);
      assertArrayEquals(along.gradY, sums[1].gradY, 1e-12);
    }
  }
}
