package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.f2ba.data.RangeRows;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.problem.Arithmetic;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.BilevelSolver;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.SolverState;
import org.f2ba.solver.Vectors;
import org.junit.jupiter.api.Test;

/**
 * On the embedded Fashion-MNIST subset with half the training labels randomized, data
 * hyper-cleaning beats plain training on the noisy labels for the same number of steps on y.
 */
class HyperCleaningTest {
  private static final int OUTER = 15;
  private static final int INNER = 10;

  /** The weights' AUC is the chance a clean sample outranks a corrupted one, ties half. */
  @Test
  void weightAucCountsPairsWithTiesAsHalves() {
    Random random = new Random(3);
    int n = 500;
    double[] x = new double[n];
    double[] labels = new double[n];
    double[] trueLabels = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextInt(40) - 20; // many ties
      trueLabels[i] = random.nextInt(3);
      labels[i] = random.nextDouble() < 0.3 ? random.nextInt(3) : trueLabels[i];
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (labels[i] == trueLabels[i] && labels[j] != trueLabels[j]) {
          wins += x[i] > x[j] ? 1 : x[i] == x[j] ? 0.5 : 0;
          pairs++;
        }
      }
    }
    assertEquals(wins / pairs, Experiments.cleanAuc(x,
        new Experiments.Corruption(labels, trueLabels)));
    assertTrue(Double.isNaN(Experiments.cleanAuc(x,
        new Experiments.Corruption(trueLabels, trueLabels))));
  }

  @Test
  void hyperCleaningBeatsPlainTrainingOnNoisyLabels() {
    cleaningBeatsPlainTraining();
  }

  /** The same with a network of 32 hidden units as the model. */
  @Test
  void hyperCleaningANetworkBeatsPlainTrainingOnNoisyLabels() {
    cleaningBeatsPlainTraining("model.type=network", "model.network.hidden-units=32");
  }

  private static void cleaningBeatsPlainTraining(String... keys) {
    List<String> overrides = new ArrayList<>(List.of("data.train-size=2000",
        "data.val-size=1000", "data.test-size=1000", "solver.f2ba.K=" + INNER,
        "solver.f2ba.eta=1200"));
    overrides.addAll(List.of(keys));
    RunConfig config = RunConfig.load("conf/default.conf", overrides);
    Experiment experiment = Experiments.fromConfig(config);
    SolverSettings settings = SolverSettings.fromConfig(config);
    double tau = config.positive("solver.f2ba.tau");
    try (LocalEngine engine = new LocalEngine(experiment.problem(),
        Sharding.split(experiment.dataOf(RangeRows.class), 2, 512))) {
      BilevelOracle oracle = new BilevelOracle(experiment.problem(), engine,
          settings.batchSizes(), 1, Arithmetic.DEFAULT);

      // Plain training: gradient descent on the unweighted noisy training loss (every weight 1).
      double[] allWeightsOne = new double[experiment.problem().dimX()];
      Arrays.fill(allWeightsOne, 40.0);
      double[] plain = experiment.y0().clone();
      for (int step = 0; step < OUTER * INNER; step++) {
        double[] grad = F2ba.innerGradients(oracle, allWeightsOne, plain, plain)[0].gradY();
        Vectors.descend(plain, tau, grad);
      }
      double plainAccuracy = testAccuracy(oracle, allWeightsOne, plain);

      BilevelSolver solver = settings.solver().start(oracle,
          SolverState.initial(experiment.x0(), experiment.y0()));
      OuterState state = null;
      for (int t = 0; t < OUTER; t++) {
        state = solver.next();
      }
      double cleanedAccuracy = testAccuracy(oracle, state.x(), state.y());
      double f1 = experiment.xMetrics().get(0).value().applyAsDouble(state.x());
      assertTrue(cleanedAccuracy > plainAccuracy + 0.03,
          "hyper-cleaning " + cleanedAccuracy + " vs plain training " + plainAccuracy);
      assertTrue(f1 > 0.75, "F1 of the kept samples " + f1);
    }
  }

  private static double testAccuracy(BilevelOracle oracle, double[] x, double[] y) {
    return oracle.score(x, y, DataRole.TEST)[0].meanStatistics()[0];
  }
}
