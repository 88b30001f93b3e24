package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.f2ba.TestData;
import org.f2ba.data.DataBlock;
import org.f2ba.data.LabeledData;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.SampleLoss;
import org.f2ba.problem.examples.AdversarialLeastSquares;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.BilevelSolver;
import org.f2ba.solver.SolverState;
import org.junit.jupiter.api.Test;

/**
 * Adversarial training by least squares: φ in closed form is f at the best lower-level
 * solution, its gradient and minimizer are right, and on an instance whose lower level has a set
 * of solutions F²BA and IGFM reach min φ while AID, which inverts the singular ∇²yy g, does not.
 */
class AdversarialTrainingTest {
  private static final int N = 60;
  private static final int DIM = 3;
  private final LabeledData data = TestData.regression("regression", N, DIM, 5);

  @Test
  void halfOfMIsSpreadEvenlyAndTheRestIsZero() {
    double[] m = new AdversarialLeastSquares(data, 1, 1e-9, 1, 3).weights();
    List<Double> nonZero = new ArrayList<>();
    for (double v : m) {
      if (v > 0) {
        nonZero.add(v);
      }
    }
    nonZero.sort(null);
    assertEquals(N / 2, nonZero.size());
    assertEquals(1e-9, nonZero.get(0));
    assertEquals(1.0, nonZero.get(N / 2 - 1), 1e-15);
    assertEquals((1 - 1e-9) / (N / 2 - 1), nonZero.get(1) - nonZero.get(0), 1e-12);
  }

  @Test
  void phiIsTheUpperLossAtTheBestLowerLevelSolution() {
    AdversarialLeastSquares instance = new AdversarialLeastSquares(data, 1.5, 1e-3, 1, 7);
    double lambda = 1.5;
    double[] x = TestData.gaussian(DIM + 1, 0.5, 8);
    double[] m = instance.weights();
    double[] best = new double[N];
    for (int i = 0; i < N; i++) {
      double prediction = prediction(x, i);
      best[i] = m[i] > 0 ? (prediction + lambda * data.labels()[i]) / (1 + lambda) : prediction;
    }
    BilevelProblem problem = instance.problem();
    LossSums lower = sums(problem.lowerLoss(), x, best);
    // best ∈ Y*(x), to the single precision in which blocks hold the samples
    assertArrayEquals(new double[N], lower.gradY, 1e-6);
    assertEquals(instance.hyperObjective(x), sums(problem.upperLoss(), x, best).value / N,
        1e-7);
    double[] other = best.clone(); // another lower-level solution: worse for f
    for (int i = 0; i < N; i++) {
      other[i] += m[i] == 0 ? 0.1 : 0;
    }
    assertArrayEquals(new double[N], sums(problem.lowerLoss(), x, other).gradY, 1e-6);
    assertTrue(sums(problem.upperLoss(), x, other).value / N > instance.hyperObjective(x));
  }

  @Test
  void gradientAndMinimizerOfPhi() {
    AdversarialLeastSquares instance = new AdversarialLeastSquares(data, 1, 1e-9, 1, 9);
    double[] x = TestData.gaussian(DIM + 1, 0.5, 10);
    double[] gradient = instance.hypergradient(x);
    double h = 1e-6;
    for (int j = 0; j <= DIM; j++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[j] += h;
      minus[j] -= h;
      assertEquals((instance.hyperObjective(plus) - instance.hyperObjective(minus)) / (2 * h),
          gradient[j], 1e-8);
    }
    assertArrayEquals(new double[DIM + 1], instance.hypergradient(instance.minimizer()), 1e-12);
  }

  @Test
  void f2baAndIgfmReachMinPhiWhereAidDoesNot() {
    AdversarialLeastSquares instance = new AdversarialLeastSquares(data, 1, 0.2, 1, 11);
    double best = instance.hyperObjective(instance.minimizer());
    double start = instance.hyperObjective(new double[DIM + 1]);
    double f2ba = phiAfter(instance, "f2ba", "eta=0.5", "tau=20", "sigma=0.01", "K=10");
    double igfm = phiAfter(instance, "igfm", "eta=0.1", "tau=20", "theta=1e-5", "K0=20",
        "K=20");
    // AID solves ∇²yy g v = ∇y f by conjugate gradients, but ∇²yy g is singular where mᵢ = 0
    // and ∇y f is not in its range there: the estimate, and x, run away.
    double aid = phiAfter(instance, "aid-cg", "eta=0.5", "alpha=20", "K=10");
    assertTrue(start > 50 * best, start + " " + best);
    assertEquals(best, f2ba, 0.02 * best, "F²BA");
    assertEquals(best, igfm, 0.05 * best, "IGFM");
    assertTrue(!(aid < start), "AID: " + aid);
  }

  /** φ(x) after 300 outer iterations of the solver {@code name} with the given keys. */
  private double phiAfter(AdversarialLeastSquares instance, String name, String... keys) {
    List<String> overrides = new ArrayList<>(List.of("solver.name=" + name));
    for (String key : keys) {
      overrides.add("solver." + name + "." + key);
    }
    BilevelProblem problem = instance.problem();
    LocalEngine engine = new LocalEngine(problem, Sharding.split(Map.of(DataRole.LOWER, data,
        DataRole.UPPER, data), 2, 16));
    BilevelSolver solver = Solvers.fromConfig(RunConfig.load(null, overrides)).start(
        new BilevelOracle(problem, engine, BatchSizes.FULL, 1, Arithmetic.DOUBLE),
        SolverState.initial(new double[DIM + 1], data.labels().clone()));
    double[] x = null;
    for (int t = 0; t < 300; t++) {
      x = solver.next().x();
    }
    engine.close();
    return instance.hyperObjective(x);
  }

  private LossSums sums(SampleLoss loss, double[] x, double[] y) {
    LossSums sums = new LossSums(DIM + 1, N, true, true, 0);
    loss.accumulate(DataBlock.of(data, 0, N), Arithmetic.DOUBLE, x, new double[][] {y},
        new LossSums[] {sums});
    return sums;
  }

  private double prediction(double[] x, int i) {
    double p = x[DIM];
    for (int j = 0; j < DIM; j++) {
      p += data.features()[i * DIM + j] * x[j];
    }
    return p;
  }
}
