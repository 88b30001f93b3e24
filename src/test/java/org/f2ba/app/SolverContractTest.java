package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.f2ba.SparkTestContext;
import org.f2ba.TestData;
import org.f2ba.data.LabeledData;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.engine.SparkEngine;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Classifier;
import org.f2ba.problem.CrossEntropyLoss;
import org.f2ba.problem.HiddenLayerNetwork;
import org.f2ba.problem.L2Penalty;
import org.f2ba.problem.WeightedCrossEntropyLoss;
import org.f2ba.problem.examples.QuadraticProblem;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.BilevelSolver;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.SolverState;
import org.f2ba.solver.SolverType;
import org.f2ba.solver.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every solver of the registry must do: reach the stationary point of φ on the quadratic
 * problem (deterministic), give the same iterates on Spark as in process bit for bit, and resume
 * from a checkpoint bit for bit.
 */
class SolverContractTest {
  private static final int CLASSES = 3;
  private static final int DIM = 5;

  @TempDir
  Path dir;

  /** The solver of {@code name} with the given keys (solver.NAME.KEY=VALUE) over the defaults. */
  private static SolverType solver(String name, String... keys) {
    List<String> overrides = new ArrayList<>(List.of("solver.name=" + name));
    for (String key : keys) {
      overrides.add("solver." + name + "." + key);
    }
    return Solvers.fromConfig(RunConfig.load(null, overrides));
  }

  /**
   * Step sizes for the quadratic problem (L_g ≈ 4.6, μ ≈ 1.5, L_f = 1) and the ‖∇φ‖ reached.
   * BOME settles short of the stationary point: its direction keeps a component η‖∇q‖ along
   * ∇q, so y stays 0.077 from y*(x) with λ ≈ 7.9 and ‖∇φ‖ ≈ 7.5e-3, whatever α and ε.
   */
  static Stream<Arguments> quadraticSettings() {
    return Stream.of(
        Arguments.of("f2ba", 300, 1e-3,
            new String[] {"eta=0.5", "tau=0.2", "sigma=1e-4", "K=30"}),
        Arguments.of("accf2ba", 300, 1e-3, new String[] {"eta=0.5", "tau=0.2",
            "sigma=1e-4", "K=30", "momentum=0.5", "outer-momentum=0.5"}),
        Arguments.of("aid-cg", 300, 1e-3, new String[] {"eta=0.5", "alpha=0.2", "K=30"}),
        Arguments.of("aid-neumann", 300, 1e-3,
            new String[] {"eta=0.5", "alpha=0.2", "K=30", "Q=60", "beta=0.2"}),
        Arguments.of("itd", 300, 1e-3, new String[] {"eta=0.5", "alpha=0.2", "K=60"}),
        Arguments.of("soba", 3000, 1e-3,
            new String[] {"step=0.1", "ratio=1", "decay=false"}),
        Arguments.of("saba", 3000, 1e-3,
            new String[] {"step=0.1", "ratio=1", "batches=4"}),
        Arguments.of("f2sa", 300, 1e-3, new String[] {"alpha=2e-5", "beta=0.2", "gamma=0.5",
            "lambda0=1e4", "lambda-step=0", "lambda-max=1e4", "K=30", "decay=false"}),
        Arguments.of("bome", 20000, 1e-2, new String[] {"alpha=5e-4", "ratio=0.005", "K=30",
            "beta=0.2", "eta=0.5"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("quadraticSettings")
  void reachesTheStationaryPointOfTheQuadraticProblem(String name, int iterations,
      double tolerance, String[] keys) {
    QuadraticProblem quadratic = TestData.quadratic();
    double[] x0 = {3, -2};
    BilevelSolver solver = start(solver(name, keys), quadratic.problem(), x0, new double[3]);
    OuterState state = null;
    for (int t = 0; t < iterations; t++) {
      state = solver.next();
    }
    double norm = Vectors.norm(quadratic.hypergradient(state.x()));
    assertTrue(norm <= tolerance, name + ": true hyper-gradient norm " + norm);
  }

  /** With y at y*(x) and exact linear algebra, AID and ITD estimate ∇φ itself. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exactSettings")
  void estimateIsTheTrueHypergradientWithEnoughInnerSteps(String name, String[] keys) {
    QuadraticProblem quadratic = TestData.quadratic();
    double[] x0 = {3, -2};
    OuterState first = start(solver(name, keys), quadratic.problem(), x0, new double[3]).next();
    assertArrayEquals(quadratic.hypergradient(x0), first.hypergradEstimate(), 1e-9, name);
    assertEquals(x0[0], first.estimatePoint()[0]);
  }

  static Stream<Arguments> exactSettings() {
    return Stream.of(
        Arguments.of("aid-cg", new String[] {"alpha=0.2", "K=300", "cg-steps=3"}),
        Arguments.of("aid-neumann", new String[] {"alpha=0.2", "K=300", "Q=300", "beta=0.2"}),
        Arguments.of("itd", new String[] {"alpha=0.2", "K=300"}));
  }

  /**
   * SAGA's memory, filled at the start, averages to the full-data directions when the batches
   * have equal sizes, so SABA's first step is SOBA's full-batch step (to rounding: in double
   * precision, as float32 sums grouped by batch differ in the 8th digit).
   */
  @Test
  void sabaStartsWithTheFullBatchDirection() {
    Map<DataRole, LabeledData> data = clusters(300, 96);
    BilevelProblem problem = hyperCleaning(300);
    double[] y0 = TestData.gaussian((DIM + 1) * CLASSES, 0.1, 5);
    OuterState soba = firstStep(problem, data, y0, solver("soba", "step=0.05", "ratio=1",
        "decay=false"));
    OuterState saba = firstStep(problem, data, y0, solver("saba", "step=0.05", "ratio=1",
        "batches=3"));
    assertArrayEquals(soba.hypergradEstimate(), saba.hypergradEstimate(), 1e-12);
    assertArrayEquals(soba.y(), saba.y(), 1e-12);
    // Three batches of 100 training and 32 validation samples filled the memory, then one more.
    assertEquals(4 * 132, saba.oracleCalls());
    assertEquals(4 * 200, saba.secondOrderCalls());
  }

  /** Training and validation samples in clusters, one per class. */
  private static Map<DataRole, LabeledData> clusters(int train, int validation) {
    return new EnumMap<>(Map.of(
        DataRole.LOWER, TestData.clusters("train", train, DIM, CLASSES, 1),
        DataRole.UPPER, TestData.clusters("val", validation, DIM, CLASSES, 2)));
  }

  /** Hyper-cleaning of {@code train} samples with a small ridge. */
  private static BilevelProblem hyperCleaning(int train) {
    return hyperCleaning(train, Classifier.linear(CLASSES));
  }

  /** Hyper-cleaning of {@code train} samples by {@code model} with a small ridge. */
  private static BilevelProblem hyperCleaning(int train, Classifier model) {
    return new BilevelProblem(train, model.dimY(DIM + 1), new CrossEntropyLoss(model),
        new WeightedCrossEntropyLoss(model), null, L2Penalty.fixed(0.01));
  }

  private static OuterState firstStep(BilevelProblem problem, Map<DataRole, LabeledData> data,
      double[] y0, SolverType type) {
    try (LocalEngine engine = new LocalEngine(problem, Sharding.split(data, 2, 64))) {
      BilevelOracle oracle = new BilevelOracle(problem, engine, BatchSizes.FULL, 11,
          Arithmetic.DOUBLE);
      return type.start(oracle, SolverState.initial(new double[300], y0)).next();
    }
  }

  /** On φ(x) = ½(x/2 − 1)² + 0.05x² (minimum at 10/7), the grid keeps its best point. */
  @Test
  void gridSearchKeepsTheBestPointAndEnds() {
    QuadraticProblem line = new QuadraticProblem(1, 1, new double[] {2}, new double[] {1},
        new double[] {1}, 0.1);
    BilevelSolver grid = start(solver("grid", "from=0", "to=3", "points=31", "alpha=0.4",
        "tolerance=1e-10"), line.problem(), new double[] {0}, new double[1]);
    OuterState state = null;
    while (grid.hasNext()) {
      state = grid.next();
    }
    assertEquals(31, state.iteration());
    assertEquals(1.4, state.x()[0], 1e-12);
    assertArrayEquals(line.lowerSolution(state.x()), state.y(), 1e-9);
    assertEquals(3.0, state.estimatePoint()[0], 1e-12);
  }

  @Test
  void runOfTheGridEndsWithItsLastPoint() throws Exception {
    run(args("grid", "grid", 100, "solver.grid.points=3"));
    String summary = Files.readString(dir.resolve("grid").resolve("summary.json"));
    assertTrue(summary.contains("\"outer_iters\" : 3"), summary);
    assertTrue(summary.contains("\"stop_reason\" : \"the solver ended\""), summary);
  }

  static Stream<String> everySolver() {
    return Stream.of("f2ba", "accf2ba", "aid-cg", "aid-neumann", "itd", "soba", "saba", "f2sa",
        "bome", "igfm", "grid");
  }

  @Test
  void everyRegisteredSolverIsCovered() {
    assertEquals(everySolver().sorted().toList(), List.copyOf(Solvers.names()));
  }

  /** Hyper-cleaning of the linear model and of a network, every solver on each. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everySolver")
  void stochasticIteratesAreTheSameOnSparkAndInProcess(String name) {
    for (Classifier model : List.of(Classifier.linear(CLASSES),
        new HiddenLayerNetwork(4, CLASSES, HiddenLayerNetwork.Activation.RELU))) {
      sameOnSparkAndInProcess(name, model);
    }
  }

  private static void sameOnSparkAndInProcess(String name, Classifier model) {
    Map<DataRole, LabeledData> data = clusters(301, 97);
    BilevelProblem problem = hyperCleaning(301, model);
    SolverType type = solver(name, small(name));
    String what = name + " on " + model;
    double[] y0 = TestData.gaussian(problem.dimY(), 0.1, 5);
    List<OuterState> local = run(type, problem,
        new LocalEngine(problem, Sharding.split(data, 2, 64)), y0);
    List<OuterState> spark = run(type, problem, new SparkEngine(SparkTestContext.get(),
        problem, Sharding.split(data, 2, 64)), y0);
    assertEquals(3, local.size());
    for (int t = 0; t < local.size(); t++) {
      SolverState a = local.get(t).state();
      SolverState b = spark.get(t).state();
      assertArrayEquals(a.x(), b.x(), what + ": x after outer step " + (t + 1));
      assertArrayEquals(a.y(), b.y(), what + ": y after outer step " + (t + 1));
      assertEquals(a.vectors().keySet(), b.vectors().keySet());
      a.vectors().forEach((k, v) -> assertArrayEquals(v, b.vector(k, null), what + ": " + k));
      assertEquals(a.scalars(), b.scalars(), what);
      assertEquals(local.get(t).oracleCalls(), spark.get(t).oracleCalls(), what);
      assertEquals(local.get(t).secondOrderCalls(), spark.get(t).secondOrderCalls(), what);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everySolver")
  void resumedRunEndsBitForBit(String name) throws Exception {
    run(args(name, "straight", 4));
    run(args(name, "resumed", 2, "checkpoint.every=2"));
    run(args(name, "resumed", 4, "checkpoint.every=2", "--resume"));
    for (String file : List.of("x.txt", "y.txt")) {
      assertEquals(Files.readString(dir.resolve("straight").resolve(file)),
          Files.readString(dir.resolve("resumed").resolve(file)), name + ": " + file);
    }
  }

  private List<String> args(String name, String output, int iterations, String... more) {
    List<String> args = new ArrayList<>(List.of("conf/default.conf", "engine=local",
        "data.train-size=400", "data.val-size=200", "data.test-size=200",
        "solver.batch.upper=64", "solver.batch.lower=128", "solver.name=" + name,
        "solver.T=" + iterations, "solver." + name + "." + small(name),
        "output.dir=" + dir.resolve(output)));
    args.addAll(List.of(more));
    return args;
  }

  /** A key that keeps a test run of {@code name} small. */
  private static String small(String name) {
    return switch (name) {
      case "grid" -> "max-steps=5";
      case "soba" -> "step=0.05";
      case "saba" -> "batches=3";
      default -> "K=2";
    };
  }

  private static void run(List<String> args) {
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), args.toArray(String[]::new)),
        err.toString());
  }

  private static BilevelSolver start(SolverType type, BilevelProblem problem, double[] x0,
      double[] y0) {
    LocalEngine engine = new LocalEngine(problem, Sharding.split(Map.of(), 1, 1));
    return type.start(new BilevelOracle(problem, engine, BatchSizes.FULL, 1, Arithmetic.DEFAULT),
        SolverState.initial(x0, y0));
  }

  private static List<OuterState> run(SolverType type, BilevelProblem problem,
      GradientEngine engine, double[] y0) {
    try (engine) {
      BilevelOracle oracle = new BilevelOracle(problem, engine,
          new BatchSizes(16, 40), 11, Arithmetic.DEFAULT);
      BilevelSolver solver = type.start(oracle, SolverState.initial(new double[301], y0));
      List<OuterState> states = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        states.add(solver.next());
      }
      return states;
    }
  }
}
