package org.f2ba.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.f2ba.SparkTestContext;
import org.f2ba.TestData;
import org.f2ba.data.LabeledData;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.engine.SparkEngine;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.problem.CrossEntropyLoss;
import org.f2ba.problem.L2Penalty;
import org.f2ba.problem.WeightedCrossEntropyLoss;
import org.f2ba.problem.examples.ConvexLowerLevelExamples;
import org.junit.jupiter.api.Test;

/**
 * The exact hyper-gradient of strongly convex data problems (Eq. 4 with Newton-CG and CG on the
 * engine's Hessian-vector products) against central finite differences of φ(x) = f(x, y*(x)),
 * and the same on Spark as in process.
 */
class ImplicitHypergradientTest {
  private static final int CLASSES = 3;
  private static final int DIM = 4;
  private static final int DIM_Y = (DIM + 1) * CLASSES;
  private static final int TRAIN = 24;

  private final Map<DataRole, LabeledData> data = new EnumMap<>(Map.of(
      DataRole.LOWER, TestData.clusters("train", TRAIN, DIM, CLASSES, 1),
      DataRole.UPPER, TestData.clusters("val", 15, DIM, CLASSES, 2)));

  @Test
  void hyperCleaningMatchesFiniteDifferencesInEveryCoordinate() {
    BilevelProblem problem = new BilevelProblem(TRAIN, DIM_Y, new CrossEntropyLoss(CLASSES),
        new WeightedCrossEntropyLoss(CLASSES), null, L2Penalty.fixed(0.05));
    compareWithFiniteDifferences(problem, TestData.gaussian(TRAIN, 1.0, 3));
  }

  @Test
  void regularizationTuningMatchesFiniteDifferencesForEveryGranularity() {
    CrossEntropyLoss loss = new CrossEntropyLoss(CLASSES);
    for (L2Penalty.Granularity g : L2Penalty.Granularity.values()) {
      int dimX = g.dimX(DIM + 1, CLASSES);
      BilevelProblem problem = new BilevelProblem(dimX, DIM_Y, loss, loss, null,
          L2Penalty.learned(DIM + 1, g));
      compareWithFiniteDifferences(problem, TestData.gaussian(dimX, 0.5, 4));
    }
  }

  @Test
  void sparkGivesTheInProcessHypergradientBitForBit() {
    BilevelProblem problem = new BilevelProblem(TRAIN, DIM_Y, new CrossEntropyLoss(CLASSES),
        new WeightedCrossEntropyLoss(CLASSES), null, L2Penalty.fixed(0.01));
    double[] x = TestData.gaussian(TRAIN, 1.0, 5);
    ImplicitHypergradient.Result local;
    try (GradientEngine engine = new LocalEngine(problem, Sharding.split(data, 2, 8))) {
      local = solver(problem, engine).at(x);
    }
    ImplicitHypergradient.Result spark;
    try (GradientEngine engine = new SparkEngine(SparkTestContext.get(), problem,
        Sharding.split(data, 2, 8))) {
      spark = solver(problem, engine).at(x);
    }
    assertTrue(local.converged());
    assertArrayEquals(local.hypergradient(), spark.hypergradient());
    assertEquals(local.products(), spark.products());
  }

  @Test
  void warmStartSpendsFewerProductsNearby() {
    BilevelProblem problem = new BilevelProblem(TRAIN, DIM_Y, new CrossEntropyLoss(CLASSES),
        new WeightedCrossEntropyLoss(CLASSES), null, L2Penalty.fixed(0.01));
    try (GradientEngine engine = new LocalEngine(problem, Sharding.split(data, 2, 8))) {
      ImplicitHypergradient solver = solver(problem, engine);
      double[] x = TestData.gaussian(TRAIN, 1.0, 6);
      int cold = solver.at(x).products();
      x[0] += 1e-3;
      ImplicitHypergradient.Result warm = solver.at(x);
      assertTrue(warm.converged());
      assertTrue(warm.products() < cold, warm.products() + " vs " + cold);
    }
  }

  @Test
  void nonConvexLowerLevelIsReportedNotSolved() {
    // A negative ridge: ∇²yy g = (cross-entropy Hessian) − 2I is indefinite.
    BilevelProblem problem = new BilevelProblem(TRAIN, DIM_Y, new CrossEntropyLoss(CLASSES),
        new WeightedCrossEntropyLoss(CLASSES), null, L2Penalty.fixed(-1));
    try (GradientEngine engine = new LocalEngine(problem, Sharding.split(data, 2, 8))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> solver(problem, engine).at(new double[TRAIN]));
      assertTrue(e.getMessage().contains("not strongly convex"), e.getMessage());
    }
  }

  @Test
  void refusesProblemsWithoutSecondDerivatives() {
    BilevelProblem boxed = ConvexLowerLevelExamples.nonPlPenalty();
    assertThrows(IllegalArgumentException.class, () -> new ImplicitHypergradient(boxed,
        new LocalEngine(boxed, Sharding.split(Map.of(), 1, 8)), new double[2], 1e-8, 100,
            Blas.Choice.AUTO));
  }

  private ImplicitHypergradient solver(BilevelProblem problem, GradientEngine engine) {
    return new ImplicitHypergradient(problem, engine, new double[DIM_Y], 1e-12, 10_000,
        Blas.Choice.AUTO);
  }

  /** ∇φ(x) against (φ(x + h eᵢ) − φ(x − h eᵢ)) / 2h for every coordinate i. */
  private void compareWithFiniteDifferences(BilevelProblem problem, double[] x) {
    try (GradientEngine engine = new LocalEngine(problem, Sharding.split(data, 2, 8))) {
      ImplicitHypergradient solver = solver(problem, engine);
      ImplicitHypergradient.Result result = solver.at(x);
      assertTrue(result.converged(), "residuals " + result.lowerGradNorm() + ", "
          + result.residual());
      double h = 1e-4;
      for (int i = 0; i < x.length; i++) {
        double saved = x[i];
        x[i] = saved + h;
        double plus = solver.at(x).hyperObjective();
        x[i] = saved - h;
        double minus = solver.at(x).hyperObjective();
        x[i] = saved;
        double numeric = (plus - minus) / (2 * h);
        assertEquals(numeric, result.hypergradient()[i], 1e-6 * Math.max(1e-3,
            Math.abs(numeric)) + 1e-9, "d phi / dx[" + i + "]");
      }
    }
  }
}
