package org.f2ba.problem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.f2ba.TestData;
import org.f2ba.data.DataBlock;
import org.f2ba.data.LabeledData;
import org.f2ba.problem.examples.HardInstance;
import org.f2ba.problem.examples.LiuExample;
import org.f2ba.problem.examples.QuadraticProblem;
import org.f2ba.problem.examples.SyntheticPlFamily;
import org.junit.jupiter.api.Test;

/**
 * Every loss and term: analytic gradients in x and y against central finite differences, and the
 * second-order products (∇²yy·v, ∇²xy·v) against finite differences of the gradients.
 */
class GradientCheckTest {
  private static final int CLASSES = 3;
  private static final int DIM = 4;
  private static final int WIDTH = DIM + 1;
  private final LabeledData data = TestData.clusters("check", 9, DIM, CLASSES, 7);
  private final DataBlock block = DataBlock.of(data, 0, data.rows());

  @Test
  void crossEntropyGradientInY() {
    check(new CrossEntropyLoss(CLASSES), new double[1], TestData.gaussian(WIDTH * CLASSES, 0.5,
        1));
  }

  @Test
  void weightedCrossEntropyGradientsInXAndY() {
    check(new WeightedCrossEntropyLoss(CLASSES), TestData.gaussian(data.rows(), 1.0, 2),
        TestData.gaussian(WIDTH * CLASSES, 0.5, 3));
  }

  /** A network of each activation: its gradients, by hand, against finite differences. */
  @Test
  void networkGradientsInXAndY() {
    for (HiddenLayerNetwork net : networks()) {
      int dimY = net.dimY(WIDTH);
      check(new CrossEntropyLoss(net), new double[1], TestData.gaussian(dimY, 0.7, 41));
      check(new WeightedCrossEntropyLoss(net), TestData.gaussian(data.rows(), 1.0, 42),
          TestData.gaussian(dimY, 0.7, 43));
    }
  }

  @Test
  void networkSecondOrderProducts() {
    for (HiddenLayerNetwork net : networks()) {
      int dimY = net.dimY(WIDTH);
      checkAlong(new CrossEntropyLoss(net), new double[1], TestData.gaussian(dimY, 0.7, 44),
          TestData.gaussian(dimY, 1, 45));
      checkAlong(new WeightedCrossEntropyLoss(net), TestData.gaussian(data.rows(), 1.0, 46),
          TestData.gaussian(dimY, 0.7, 47), TestData.gaussian(dimY, 1, 48));
    }
  }

  private static List<HiddenLayerNetwork> networks() {
    return List.of(new HiddenLayerNetwork(4, CLASSES, HiddenLayerNetwork.Activation.RELU),
        new HiddenLayerNetwork(3, CLASSES, HiddenLayerNetwork.Activation.GELU));
  }

  @Test
  void severalPointsAtOnceEqualOneAtATime() {
    severalPointsAtOnce(Classifier.linear(CLASSES));
    for (HiddenLayerNetwork net : networks()) {
      severalPointsAtOnce(net);
    }
  }

  private void severalPointsAtOnce(Classifier model) {
    SampleLoss loss = new WeightedCrossEntropyLoss(model);
    int dimY = model.dimY(WIDTH);
    double[] x = TestData.gaussian(data.rows(), 1.0, 12);
    double[][] ys = {TestData.gaussian(dimY, 0.5, 13), TestData.gaussian(dimY, 0.5, 14),
        TestData.gaussian(dimY, 0.5, 15)};
    boolean[][] wants = {{true, true}, {false, false}, {true, false}};
    LossSums[] together = new LossSums[3];
    for (int p = 0; p < 3; p++) {
      together[p] = new LossSums(x.length, ys[p].length, wants[p][0], wants[p][1], 1);
    }
    loss.accumulate(block, Arithmetic.DOUBLE, x, ys, together);
    for (int p = 0; p < 3; p++) {
      LossSums alone = new LossSums(x.length, ys[p].length, wants[p][0], wants[p][1], 1);
      loss.accumulate(block, Arithmetic.DOUBLE, x, new double[][] {ys[p]},
          new LossSums[] {alone});
      assertEquals(alone.value, together[p].value, 1e-12);
      assertEquals(alone.statistics[0], together[p].statistics[0]);
      if (wants[p][0]) {
        assertArrayEquals(alone.gradX, together[p].gradX, 1e-12);
      }
      if (wants[p][1]) {
        assertArrayEquals(alone.gradY, together[p].gradY, 1e-12);
      }
    }
  }

  @Test
  void crossEntropySecondOrderProducts() {
    checkAlong(new CrossEntropyLoss(CLASSES), new double[1],
        TestData.gaussian(WIDTH * CLASSES, 0.5, 21), TestData.gaussian(WIDTH * CLASSES, 1, 22));
  }

  @Test
  void weightedCrossEntropySecondOrderProducts() {
    checkAlong(new WeightedCrossEntropyLoss(CLASSES), TestData.gaussian(data.rows(), 1.0, 23),
        TestData.gaussian(WIDTH * CLASSES, 0.5, 24), TestData.gaussian(WIDTH * CLASSES, 1, 25));
  }

  /** The weights of adversarial training's lower level, some zero, and its upper level's. */
  @Test
  void perturbedLabelsGradientsAndSecondOrderProducts() {
    double[] weights = TestData.gaussian(data.rows(), 1.0, 31);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = i % 3 == 0 ? 0 : Math.abs(weights[i]);
    }
    for (PerturbedLabelsLoss loss : new PerturbedLabelsLoss[] {
        new PerturbedLabelsLoss(weights, 0.7), new PerturbedLabelsLoss(null, 0)}) {
      check(loss, TestData.gaussian(WIDTH, 0.5, 32), TestData.gaussian(data.rows(), 1, 33));
      checkAlong(loss, TestData.gaussian(WIDTH, 0.5, 34), TestData.gaussian(data.rows(), 1, 35),
          TestData.gaussian(data.rows(), 1, 36));
    }
  }

  @Test
  void perturbedLabelsAtSeveralPointsEqualOneAtATime() {
    SampleLoss loss = new PerturbedLabelsLoss(TestData.gaussian(data.rows(), 1.0, 37), 2);
    double[] x = TestData.gaussian(WIDTH, 0.5, 38);
    double[][] ys = {TestData.gaussian(data.rows(), 1, 39), TestData.gaussian(data.rows(), 1, 40)};
    LossSums[] together = {new LossSums(WIDTH, data.rows(), true, true, 0),
        new LossSums(WIDTH, data.rows(), false, true, 0)};
    loss.accumulate(block, Arithmetic.DOUBLE, x, ys, together);
    for (int p = 0; p < 2; p++) {
      LossSums alone = new LossSums(WIDTH, data.rows(), p == 0, true, 0);
      loss.accumulate(block, Arithmetic.DOUBLE, x, new double[][] {ys[p]},
          new LossSums[] {alone});
      assertEquals(alone.value, together[p].value, 1e-12);
      assertArrayEquals(alone.gradY, together[p].gradY, 1e-12);
      if (p == 0) {
        assertArrayEquals(alone.gradX, together[p].gradX, 1e-12);
      }
    }
  }

  @Test
  void l2PenaltySecondOrderProducts() {
    for (L2Penalty.Granularity g : L2Penalty.Granularity.values()) {
      checkAlong(L2Penalty.learned(WIDTH, g), TestData.gaussian(g.dimX(WIDTH, CLASSES), 0.7, 26),
          TestData.gaussian(WIDTH * CLASSES, 0.5, 27), TestData.gaussian(WIDTH * CLASSES, 1, 28));
    }
    checkAlong(L2Penalty.fixed(0.3), new double[1], TestData.gaussian(WIDTH * CLASSES, 0.5, 29),
        TestData.gaussian(WIDTH * CLASSES, 1, 30));
  }

  @Test
  void learnedL2PenaltyGradientsForEveryGranularity() {
    for (L2Penalty.Granularity g : L2Penalty.Granularity.values()) {
      check(L2Penalty.learned(WIDTH, g), TestData.gaussian(g.dimX(WIDTH, CLASSES), 0.7, 4),
          TestData.gaussian(WIDTH * CLASSES, 0.5, 5));
    }
  }

  @Test
  void fixedL2PenaltyGradientInY() {
    check(L2Penalty.fixed(0.3), new double[1], TestData.gaussian(WIDTH * CLASSES, 0.5, 6));
  }

  @Test
  void quadraticProblemTerms() {
    BilevelProblem p = TestData.quadratic().problem();
    check(p.upperTerm(), TestData.gaussian(2, 1, 8), TestData.gaussian(3, 1, 9));
    check(p.lowerTerm(), TestData.gaussian(2, 1, 10), TestData.gaussian(3, 1, 11));
  }

  @Test
  void hardInstanceTermsAcrossEveryPieceOfPsi() {
    HardInstance instance = new HardInstance(2, 2); // q = 8, β = 1/√8 ≈ 0.354
    BilevelProblem p = instance.problem();
    // The last four coordinates fall in each piece of ψ: |y| < β, β < |y| < 2β, |y| > 2β.
    double[] y = {0.1, -0.2, 0.3, 0.05, 0.2, -0.5, 0.6, -0.9};
    check(p.upperTerm(), new double[] {0.3}, y);
    check(p.lowerTerm(), new double[] {0.3}, y);
  }

  @Test
  void hardInstanceHyperObjectiveAtTheLowerSolution() {
    HardInstance instance = new HardInstance(3, 2);
    double[] yStar = new double[instance.dimY()];
    java.util.Arrays.fill(yStar, 1 / Math.sqrt(instance.dimY())); // the minimizer β·1 of g
    double[] grad = new double[instance.dimY()];
    instance.problem().lowerTerm().evaluate(new double[1], yStar, null, grad);
    assertArrayEquals(new double[instance.dimY()], grad, 1e-15);
    double x = 0.7; // φ(x) = f(x, y*) = (x + 1)²/2
    assertEquals((x + 1) * (x + 1) / 2,
        instance.problem().upperTerm().evaluate(new double[] {x}, yStar, null, null), 1e-12);
  }

  @Test
  void syntheticPlFamilyTerms() {
    BilevelProblem p = new SyntheticPlFamily(3, 5, 2, 0.5, 3).problem();
    check(p.upperTerm(), TestData.gaussian(3, 1, 16), TestData.gaussian(5, 1, 17));
    check(p.lowerTerm(), TestData.gaussian(3, 1, 18), TestData.gaussian(5, 1, 19));
  }

  @Test
  void liuExampleTerms() {
    BilevelProblem p = LiuExample.problem();
    check(p.upperTerm(), new double[] {0.3}, new double[] {-0.4, 1.2});
    check(p.lowerTerm(), new double[] {0.3}, new double[] {-0.4, 1.2});
  }

  private void check(SampleLoss loss, double[] x, double[] y) {
    LossSums sums = new LossSums(x.length, y.length, true, true, loss.numStatistics());
    loss.accumulate(block, Arithmetic.DOUBLE, x, new double[][] {y}, new LossSums[] {sums});
    ToDoubleFunction<double[][]> value = xy -> {
      LossSums s = new LossSums(x.length, y.length, false, false, loss.numStatistics());
      loss.accumulate(block, Arithmetic.DOUBLE, xy[0], new double[][] {xy[1]},
          new LossSums[] {s});
      return s.value;
    };
    compare(value, x, y, sums.gradX, sums.gradY);
  }

  private static void check(SmoothTerm term, double[] x, double[] y) {
    double[] gx = new double[x.length];
    double[] gy = new double[y.length];
    term.evaluate(x, y, gx, gy);
    compare(xy -> term.evaluate(xy[0], xy[1], null, null), x, y, gx, gy);
  }

  /** The derivatives along v of a loss's value and gradients at (x, y). */
  private void checkAlong(SecondOrderLoss loss, double[] x, double[] y, double[] v) {
    LossSums along = new LossSums(x.length, y.length, true, true, loss.numStatistics());
    loss.accumulateAlong(block, Arithmetic.DOUBLE, x, y, v, along);
    assertEquals(data.rows(), along.count);
    compareAlong(at -> {
      LossSums s = new LossSums(x.length, y.length, true, true, loss.numStatistics());
      loss.accumulate(block, Arithmetic.DOUBLE, x, new double[][] {at}, new LossSums[] {s});
      return s;
    }, y, v, along);
  }

  private static void checkAlong(SecondOrderTerm term, double[] x, double[] y, double[] v) {
    LossSums along = new LossSums(x.length, y.length, true, true, 0);
    along.value = term.evaluateAlong(x, y, v, along.gradX, along.gradY);
    compareAlong(at -> {
      LossSums s = new LossSums(x.length, y.length, true, true, 0);
      s.value = term.evaluate(x, at, s.gradX, s.gradY);
      return s;
    }, y, v, along);
  }

  /** {@code along} against (sums(y + hv) − sums(y − hv)) / 2h, entry by entry. */
  private static void compareAlong(Function<double[], LossSums> sumsAt,
      double[] y, double[] v, LossSums along) {
    double h = 1e-6;
    double[] plus = y.clone();
    double[] minus = y.clone();
    for (int j = 0; j < y.length; j++) {
      plus[j] += h * v[j];
      minus[j] -= h * v[j];
    }
    LossSums up = sumsAt.apply(plus);
    LossSums down = sumsAt.apply(minus);
    assertEquals((up.value - down.value) / (2 * h), along.value,
        1e-6 * Math.max(1, Math.abs(along.value)), "<grad y, v>");
    for (int which = 0; which < 2; which++) {
      double[] a = which == 0 ? up.gradX : up.gradY;
      double[] b = which == 0 ? down.gradX : down.gradY;
      double[] analytic = which == 0 ? along.gradX : along.gradY;
      for (int i = 0; i < a.length; i++) {
        double numeric = (a[i] - b[i]) / (2 * h);
        assertEquals(numeric, analytic[i], 1e-6 * Math.max(1, Math.abs(numeric)),
            (which == 0 ? "(d2/dxdy v)[" : "(d2/dy2 v)[") + i + "]");
      }
    }
  }

  private static void compare(ToDoubleFunction<double[][]> value, double[] x, double[] y,
      double[] gradX, double[] gradY) {
    double h = 1e-6;
    for (int which = 0; which < 2; which++) {
      double[] v = which == 0 ? x : y;
      double[] grad = which == 0 ? gradX : gradY;
      for (int i = 0; i < v.length; i++) {
        double saved = v[i];
        v[i] = saved + h;
        double plus = value.applyAsDouble(new double[][] {x, y});
        v[i] = saved - h;
        double minus = value.applyAsDouble(new double[][] {x, y});
        v[i] = saved;
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, grad[i], 1e-6 * Math.max(1, Math.abs(numeric)),
            (which == 0 ? "d/dx[" : "d/dy[") + i + "]");
      }
    }
  }
}
