package org.f2ba.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.f2ba.TestData;
import org.f2ba.data.DataBlock;
import org.f2ba.data.Blocks;
import org.f2ba.data.LabeledData;
import org.f2ba.data.SparseLabeledData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Products in single precision against double precision, on a block of several chunks: the
 * values, gradients and second-order products agree to what single precision keeps, and the
 * chunking adds the same sums as one pass would; for the linear model and the network.
 */
class ArithmeticTest {
  private static final int CLASSES = 4;
  private static final int DIM = 30;
  private static final int WIDTH = DIM + 1;
  private final LabeledData data = TestData.clusters("chunks", 2 * BlockProducts.CHUNK_ROWS
      + 77, DIM, CLASSES, 3);
  private final DataBlock block = DataBlock.of(data, 0, data.rows());
  private final double[] x = TestData.gaussian(data.rows(), 1.0, 4);

  static List<Classifier> models() {
    return List.of(Classifier.linear(CLASSES),
        new HiddenLayerNetwork(5, CLASSES, HiddenLayerNetwork.Activation.RELU),
        new HiddenLayerNetwork(3, CLASSES, HiddenLayerNetwork.Activation.GELU));
  }

  @ParameterizedTest
  @MethodSource("models")
  void singleAgreesWithDoubleToSevenDigits(Classifier model) {
    double[] y = TestData.gaussian(model.dimY(WIDTH), 0.3, 5);
    double[] v = TestData.gaussian(model.dimY(WIDTH), 0.3, 6);
    assertClose(sums(model, y, Arithmetic.DOUBLE), sums(model, y, Arithmetic.DEFAULT), 1e-6);
    assertClose(along(model, y, v, Arithmetic.DOUBLE), along(model, y, v, Arithmetic.DEFAULT),
        1e-6);
  }

  @ParameterizedTest
  @MethodSource("models")
  void chunksAddUpAsSmallerBlocksDo(Classifier model) {
    double[] y = TestData.gaussian(model.dimY(WIDTH), 0.3, 5);
    LossSums pieces = new LossSums(x.length, y.length, true, true, 1);
    for (int from = 0; from < data.rows(); from += 300) {
      new WeightedCrossEntropyLoss(model).accumulate(DataBlock.of(data, from,
          Math.min(data.rows(), from + 300)), Arithmetic.DOUBLE, x, new double[][] {y},
          new LossSums[] {pieces});
    }
    assertClose(sums(model, y, Arithmetic.DOUBLE), pieces, 1e-12);
    assertEquals(data.rows(), pieces.count);
  }

  @Test
  void nativeAndJavaBlasAgreeInEachPrecision() {
    assumeTrue(Blas.nativeLibrary().file() != null, "no native BLAS on this machine");
    for (Classifier model : models()) {
      double[] y = TestData.gaussian(model.dimY(WIDTH), 0.3, 5);
      for (Arithmetic.Precision precision : Arithmetic.Precision.values()) {
        LossSums java = sums(model, y, new Arithmetic(precision, Blas.Choice.JAVA));
        LossSums nativ = sums(model, y, new Arithmetic(precision, Blas.Choice.NATIVE));
        assertClose(java, nativ, precision == Arithmetic.Precision.SINGLE ? 1e-6 : 1e-12);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void sparseBlocksGiveWhatDenseBlocksOfTheSameRowsGive(Classifier model) {
    SparseLabeledData sparse = Blocks.sparse("sparse", 2 * BlockProducts.CHUNK_ROWS + 77, 300,
        CLASSES, 8, 9);
    DataBlock sparseBlock = sparse.block(0, sparse.rows());
    DataBlock denseBlock = sparse.dense().block(0, sparse.rows());
    int dimY = model.dimY(301);
    double[][] ys = {TestData.gaussian(dimY, 0.3, 7), TestData.gaussian(dimY, 0.3, 8)};
    double[] direction = TestData.gaussian(dimY, 0.3, 10);
    WeightedCrossEntropyLoss loss = new WeightedCrossEntropyLoss(model);
    for (Arithmetic arithmetic : List.of(Arithmetic.DOUBLE, Arithmetic.DEFAULT)) {
      double tolerance = arithmetic == Arithmetic.DOUBLE ? 1e-12 : 1e-6;
      LossSums[] fromSparse = new LossSums[2];
      LossSums[] fromDense = new LossSums[2];
      for (int p = 0; p < 2; p++) {
        fromSparse[p] = new LossSums(x.length, dimY, true, true, 1);
        fromDense[p] = new LossSums(x.length, dimY, true, true, 1);
      }
      loss.accumulate(sparseBlock, arithmetic, x, ys, fromSparse);
      loss.accumulate(denseBlock, arithmetic, x, ys, fromDense);
      for (int p = 0; p < 2; p++) {
        assertClose(fromDense[p], fromSparse[p], tolerance);
        assertEquals(fromDense[p].statistics[0], fromSparse[p].statistics[0]);
      }
      LossSums alongSparse = new LossSums(x.length, dimY, true, true, 1);
      LossSums alongDense = new LossSums(x.length, dimY, true, true, 1);
      loss.accumulateAlong(sparseBlock, arithmetic, x, ys[0], direction, alongSparse);
      loss.accumulateAlong(denseBlock, arithmetic, x, ys[0], direction, alongDense);
      assertClose(alongDense, alongSparse, tolerance);
    }
  }

  private LossSums sums(Classifier model, double[] y, Arithmetic arithmetic) {
    LossSums s = new LossSums(x.length, y.length, true, true, 1);
    new WeightedCrossEntropyLoss(model).accumulate(block, arithmetic, x, new double[][] {y},
        new LossSums[] {s});
    assertEquals(data.rows(), s.count);
    return s;
  }

  private LossSums along(Classifier model, double[] y, double[] v, Arithmetic arithmetic) {
    LossSums s = new LossSums(x.length, y.length, true, true, 1);
    new WeightedCrossEntropyLoss(model).accumulateAlong(block, arithmetic, x, y, v, s);
    return s;
  }

  /** Agreement relative to each quantity's scale (its largest entry in absolute value). */
  private static void assertClose(LossSums expected, LossSums actual, double relative) {
    assertEquals(expected.value, actual.value, relative * Math.abs(expected.value));
    assertClose(expected.gradX, actual.gradX, relative);
    assertClose(expected.gradY, actual.gradY, relative);
  }

  private static void assertClose(double[] expected, double[] actual, double relative) {
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relative * scale, "entry " + i);
    }
  }
}
