package org.f2ba.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.SparkTestContext;
import org.f2ba.TestData;
import org.f2ba.data.LabeledData;
import org.f2ba.data.SyntheticRows;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.problem.CrossEntropyLoss;
import org.f2ba.problem.L2Penalty;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.WeightedCrossEntropyLoss;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.F2baParameters;
import org.f2ba.solver.InnerSchedule;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.SolverState;
import org.f2ba.solver.Vectors;
import scala.jdk.javaapi.CollectionConverters;
import org.junit.jupiter.api.Test;

/**
 * Spark (local[2]) and the in-process engine: the same iterates from the same seed, whichever
 * way hyper-cleaning's per-sample x reaches the executors.
 */
class EngineEquivalenceTest {
  private static final int CLASSES = 3;
  private static final int DIM = 5;

  private final Map<DataRole, LabeledData> data = new EnumMap<>(Map.of(
      DataRole.LOWER, TestData.clusters("train", 301, DIM, CLASSES, 1),
      DataRole.UPPER, TestData.clusters("val", 97, DIM, CLASSES, 2),
      DataRole.TEST, TestData.clusters("test", 50, DIM, CLASSES, 3)));
  private final BilevelProblem problem = new BilevelProblem(301, (DIM + 1) * CLASSES,
      new CrossEntropyLoss(CLASSES), new WeightedCrossEntropyLoss(CLASSES), null,
      L2Penalty.fixed(0.01));

  @Test
  void stochasticRunsAgreeBitForBitAcrossEngines() {
    BatchSizes batches = new BatchSizes(16, 40);
    List<OuterState> local = run(new LocalEngine(problem, shards()), batches, 11);
    List<OuterState> spark = run(sparkEngine(), batches, 11);
    List<OuterState> sparkAgain = run(sparkEngine(), batches, 11);
    SparkEngine whole = sparkEngine();
    whole.shipPerSampleX(XShipping.WHOLE);
    List<OuterState> sparkWhole = run(whole, batches, 11);
    for (int t = 0; t < local.size(); t++) {
      assertArrayEquals(local.get(t).x(), spark.get(t).x(), "x after outer step " + (t + 1));
      assertArrayEquals(local.get(t).y(), spark.get(t).y(), "y after outer step " + (t + 1));
      assertArrayEquals(local.get(t).vector("z"), spark.get(t).vector("z"),
          "z after outer step " + (t + 1));
      assertArrayEquals(spark.get(t).y(), sparkAgain.get(t).y());
      assertArrayEquals(local.get(t).x(), sparkWhole.get(t).x(), "x shipped whole");
      assertArrayEquals(local.get(t).y(), sparkWhole.get(t).y(), "y, x shipped whole");
      assertEquals(local.get(t).oracleCalls(), spark.get(t).oracleCalls());
    }
  }

  @Test
  void fullBatchRunsAgreeAcrossEnginesInEachArithmetic() {
    List<Arithmetic> arithmetics = new ArrayList<>(List.of(Arithmetic.DEFAULT,
        Arithmetic.DOUBLE, new Arithmetic(Arithmetic.Precision.SINGLE, Blas.Choice.JAVA)));
    if (Blas.nativeLibrary().file() != null) { // as installed, with the threads it is given
      arithmetics.add(new Arithmetic(Arithmetic.Precision.SINGLE, Blas.Choice.NATIVE));
    }
    for (Arithmetic arithmetic : arithmetics) {
      List<OuterState> local = run(new LocalEngine(problem, shards()), BatchSizes.FULL, 5,
          arithmetic);
      List<OuterState> spark = run(sparkEngine(), BatchSizes.FULL, 5, arithmetic);
      assertArrayEquals(local.get(2).x(), spark.get(2).x(), arithmetic.toString());
      assertArrayEquals(local.get(2).y(), spark.get(2).y(), arithmetic.toString());
    }
  }

  @Test
  void everyInnerStepAndEveryEstimateIsOneSparkJob() {
    JavaSparkContext jsc = SparkTestContext.get();
    jsc.setJobGroup("job-count", "counting jobs", false);
    try (SparkEngine engine = sparkEngine()) {
      BilevelOracle oracle = new BilevelOracle(problem, engine, new BatchSizes(16, 40), 3,
          Arithmetic.DEFAULT);
      F2ba solver = new F2ba(oracle, new F2baParameters(50.0, 0.5, 0.1, false, 0),
          InnerSchedule.fixed(4), new double[301], new double[problem.dimY()]);
      solver.next();
      solver.next();
      // 1 job caches the shards; each outer step: K = 4 inner steps + 1 estimate.
      assertEquals(1 + 2 * (4 + 1), engine.jobs());
      assertEquals(engine.jobs(), jsc.statusTracker().getJobIdsForGroup("job-count").length);
    } finally {
      jsc.clearJobGroup();
    }
  }

  /**
   * Sparse rows made on the executors, tuning one regularization strength per feature: the same
   * iterates as in process, mini-batches drawn from the sparse blocks.
   */
  @Test
  void sparseShardsAgreeBitForBitAcrossEngines() {
    int features = 400;
    SyntheticRows.Sparsity sparsity = new SyntheticRows.Sparsity(6, 30, 0.5);
    Map<DataRole, SyntheticRows> rows = new EnumMap<>(Map.of(
        DataRole.LOWER, new SyntheticRows("train", 301, features, CLASSES, 0, 0.3, 7, 0,
            sparsity),
        DataRole.UPPER, new SyntheticRows("val", 97, features, CLASSES, 0, 0, 7, 1, sparsity)));
    int width = features + 1;
    BilevelProblem perFeature = new BilevelProblem(width, width * CLASSES,
        new CrossEntropyLoss(CLASSES), new CrossEntropyLoss(CLASSES), null,
        L2Penalty.learned(width, L2Penalty.Granularity.PER_FEATURE));
    BatchSizes batches = new BatchSizes(16, 40);
    List<OuterState> local = run(perFeature, new LocalEngine(perFeature,
        Sharding.split(rows, 2, 64)), batches, 11, Arithmetic.DEFAULT);
    List<OuterState> spark = run(perFeature, SparkEngine.buildingShardsOnExecutors(
        SparkTestContext.get(), perFeature, rows, 2, 64), batches, 11, Arithmetic.DEFAULT);
    for (int t = 0; t < local.size(); t++) {
      assertArrayEquals(local.get(t).x(), spark.get(t).x(), "x after outer step " + (t + 1));
      assertArrayEquals(local.get(t).y(), spark.get(t).y(), "y after outer step " + (t + 1));
    }
    assertNotEquals(local.get(0).x()[0], local.get(local.size() - 1).x()[0]);
  }

  /**
   * Shards that the executors build from descriptions of their rows: the same iterates as the
   * in-process engine over the same rows, and the same sums after the cached blocks are lost and
   * built again.
   */
  @Test
  void shardsBuiltOnExecutorsAgreeAndAreRebuiltTheSame() throws InterruptedException {
    Map<DataRole, SyntheticRows> rows = new EnumMap<>(Map.of(
        DataRole.LOWER, new SyntheticRows("train", 301, DIM, CLASSES, 0.5, 0.3, 7, 0, null),
        DataRole.UPPER, new SyntheticRows("val", 97, DIM, CLASSES, 0.5, 0, 7, 1, null)));
    BatchSizes batches = new BatchSizes(16, 40);
    JavaSparkContext jsc = SparkTestContext.get();
    List<OuterState> local = run(new LocalEngine(problem, Sharding.split(rows, 2, 64)),
        batches, 11);
    List<OuterState> spark = run(SparkEngine.buildingShardsOnExecutors(jsc, problem, rows, 2,
        64), batches, 11);
    for (int t = 0; t < local.size(); t++) {
      assertArrayEquals(local.get(t).x(), spark.get(t).x(), "x after outer step " + (t + 1));
      assertArrayEquals(local.get(t).y(), spark.get(t).y(), "y after outer step " + (t + 1));
    }
    try (SparkEngine engine = SparkEngine.buildingShardsOnExecutors(jsc, problem, rows, 2, 64)) {
      Evaluation gradient = new Evaluation(new double[301], new double[][] {
          TestData.gaussian(problem.dimY(), 0.1, 5)}, List.of(
              LossRequest.lower(0).withGradX().withGradY().overAllSamples()), Draw.random(0), 1,
          BatchSizes.FULL, Arithmetic.DEFAULT);
      LossSums before = engine.evaluate(gradient)[0];
      assertEquals(301, before.gradX.length);
      assertTrue(engine.cachedBytes() > 0);
      assertEquals(0, engine.uncachedShards());
      // Loses the cached blocks (and keeps the RDD cached, as an executor's loss does).
      RDD<?> cached = jsc.sc().getPersistentRDDs().get(engine.shardsRddId()).get();
      cached.unpersist(true);
      cached.persist(StorageLevel.MEMORY_ONLY());
      for (int wait = 0; wait < 200 && engine.cachedBytes() > 0; wait++) {
        Thread.sleep(50); // the block managers report the removal to the driver asynchronously
      }
      assertEquals(0, engine.cachedBytes());
      assertEquals(2, engine.uncachedShards());
      LossSums after = engine.evaluate(gradient)[0];
      assertEquals(before.value, after.value);
      assertArrayEquals(before.gradX, after.gradX);
      assertArrayEquals(before.gradY, after.gradY);
      assertTrue(engine.cachedBytes() > 0);
    }
  }

  /**
   * x kept with its rows and stepped by the shards: the iterates of x on the driver bit for bit,
   * on mini-batches and full batches, one job an inner step and one an estimate, and the same
   * again after every cached partition (the shards, x) is lost, whether the lineage of x goes
   * back to the start, to x gathered on the driver or to an RDD checkpoint.
   */
  @Test
  void xKeptWithItsRowsStepsAsTheDriverDoes() throws Exception {
    for (BatchSizes batches : List.of(new BatchSizes(16, 40), BatchSizes.FULL)) {
      List<OuterState> local = run(new LocalEngine(problem, shards()), batches, 11);
      SparkEngine engine = sparkEngine();
      List<double[]> keptX = new ArrayList<>();
      List<OuterState> kept = runKeepingX(engine, batches, false, keptX);
      assertEquals(1 + 3 * (3 + 1), engine.jobs(), "K inner steps and an estimate a job each");
      for (int t = 0; t < local.size(); t++) {
        assertArrayEquals(local.get(t).x(), keptX.get(t),
            "x after outer step " + (t + 1) + ", " + batches);
        assertArrayEquals(local.get(t).y(), kept.get(t).y(), "y after outer step " + (t + 1));
        assertArrayEquals(local.get(t).vector("z"), kept.get(t).vector("z"));
        assertEquals(local.get(t).hypergradNorm(), kept.get(t).hypergradNorm(),
            1e-12 * local.get(t).hypergradNorm());
        assertEquals(Vectors.norm(local.get(t).x()), kept.get(t).state().keptX().norm(),
            1e-12 * Vectors.norm(local.get(t).x()));
        assertNull(kept.get(t).x());
      }
      List<double[]> lostX = new ArrayList<>();
      List<OuterState> lost = runKeepingX(sparkEngine(), batches, true, lostX);
      assertArrayEquals(local.get(2).x(), lostX.get(2), "x, partitions lost");
      assertArrayEquals(local.get(2).y(), lost.get(2).y(), "y, partitions lost");
      SparkEngine gathering = sparkEngine(); // no checkpoint directory: x gathered, then shipped
      gathering.checkpointKeptXEvery(2);
      List<double[]> gatheredX = new ArrayList<>();
      runKeepingX(gathering, batches, true, gatheredX);
      assertArrayEquals(local.get(2).x(), gatheredX.get(2), "x gathered on the driver");
      assertEquals(1 + 3 * (3 + 1) + 1, gathering.jobs(), "and one job to gather it");
    }
    Path checkpoints = Files.createTempDirectory("x-checkpoints");
    JavaSparkContext jsc = SparkTestContext.get();
    jsc.setCheckpointDir(checkpoints.toString());
    try {
      SparkEngine engine = sparkEngine();
      engine.checkpointKeptXEvery(2);
      List<double[]> lostX = new ArrayList<>();
      runKeepingX(engine, new BatchSizes(16, 40), true, lostX);
      List<OuterState> local = run(new LocalEngine(problem, shards()), new BatchSizes(16, 40),
          11);
      assertArrayEquals(local.get(2).x(), lostX.get(2), "x from a checkpoint");
      try (var written = Files.walk(checkpoints)) {
        assertTrue(written.anyMatch(f -> f.getFileName().toString().startsWith("part-")),
            "x written to Spark's checkpoint directory");
      }
    } finally {
      jsc.sc().checkpointDir_$eq(scala.Option.empty());
    }
  }

  /**
   * The shards and x's versions kept on the executors' disks (spark.storage-level = DISK_ONLY),
   * written there as bytes and read back at every job: x kept with its rows steps as in process,
   * bit for bit, also after every cached partition is lost.
   */
  @Test
  void shardsAndXKeptOnDiskStepAsInProcess() {
    BatchSizes batches = new BatchSizes(16, 40);
    List<OuterState> local = run(new LocalEngine(problem, shards()), batches, 11);
    SparkEngine engine = sparkEngine().storeShards(StorageLevel.DISK_ONLY());
    assertEquals(0, engine.uncachedShards());
    assertEquals(0, engine.cachedBytes());
    assertTrue(engine.cachedBytesOnDisk() > 0);
    assertThrows(IllegalStateException.class,
        () -> engine.storeShards(StorageLevel.MEMORY_ONLY()));
    List<double[]> keptX = new ArrayList<>();
    List<OuterState> onDisk = runKeepingX(engine, batches, true, keptX);
    for (int t = 0; t < local.size(); t++) {
      assertArrayEquals(local.get(t).x(), keptX.get(t), "x after outer step " + (t + 1));
      assertArrayEquals(local.get(t).y(), onDisk.get(t).y(), "y after outer step " + (t + 1));
    }
  }

  /**
   * Three outer steps of F²BA with x kept with its rows on {@code engine}, x gathered after each
   * into {@code gathered}; with {@code loseCaches}, every cached partition (the shards, the
   * versions of x) is dropped before the last, as an executor's loss drops them.
   */
  private List<OuterState> runKeepingX(SparkEngine engine, BatchSizes batches,
      boolean loseCaches, List<double[]> gathered) {
    JavaSparkContext jsc = SparkTestContext.get();
    try (engine) {
      BilevelOracle oracle = new BilevelOracle(problem, engine, batches, 11, Arithmetic.DEFAULT);
      double[] x0 = new double[problem.dimX()];
      F2ba solver = new F2ba(oracle, new F2baParameters(50.0, 0.5, 0.1, false, 0),
          InnerSchedule.fixed(3), F2ba.Momentum.NONE, SolverState.initial(x0,
              TestData.gaussian(problem.dimY(), 0.1, 5)).withKeptX(oracle.keepX(x0)));
      List<OuterState> states = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        if (loseCaches && t == 2) {
          for (RDD<?> cached : CollectionConverters.asJava(jsc.sc().getPersistentRDDs())
              .values()) {
            StorageLevel level = cached.getStorageLevel();
            cached.unpersist(true);
            cached.persist(level);
          }
        }
        states.add(solver.next());
        gathered.add(states.get(t).state().gatherX());
      }
      return states;
    }
  }

  /** What a user watching Spark's UI sees: the run's phase and the evaluation's requests. */
  @Test
  void jobsCarryTheGroupAndDescriptionTheyWereGiven() {
    JavaSparkContext jsc = SparkTestContext.get();
    try (SparkEngine engine = sparkEngine()) {
      engine.uncachedShards(); // caches the shards, in a job of its own
      engine.describeJobs("outer-7", "outer iteration 7");
      new BilevelOracle(problem, engine, new BatchSizes(16, 40), 3, Arithmetic.DEFAULT)
          .evaluate(new double[301], new double[][] {new double[problem.dimY()]},
              LossRequest.lower(0).withGradY(), LossRequest.upper(0).withGradX().withGradY()
                  .overAllSamples());
      assertEquals(1, jsc.statusTracker().getJobIdsForGroup("outer-7").length);
      assertEquals("outer iteration 7: lower ∇y at 0 (batch), upper ∇x ∇y at 0 (all rows)",
          jsc.getLocalProperty("spark.job.description"));
    } finally {
      jsc.clearJobGroup();
    }
  }

  @Test
  void anotherSeedDrawsOtherBatches() {
    BatchSizes batches = new BatchSizes(16, 40);
    OuterState a = run(new LocalEngine(problem, shards()), batches, 11).get(0);
    OuterState b = run(new LocalEngine(problem, shards()), batches, 12).get(0);
    assertNotEquals(a.y()[0], b.y()[0]);
  }

  private List<Shard> shards() {
    return Sharding.split(data, 2, 64);
  }

  private SparkEngine sparkEngine() {
    return new SparkEngine(SparkTestContext.get(), problem, shards());
  }

  private List<OuterState> run(GradientEngine engine, BatchSizes batches, long seed) {
    return run(engine, batches, seed, Arithmetic.DEFAULT);
  }

  private List<OuterState> run(GradientEngine engine, BatchSizes batches, long seed,
      Arithmetic arithmetic) {
    return run(problem, engine, batches, seed, arithmetic);
  }

  private static List<OuterState> run(BilevelProblem problem, GradientEngine engine,
      BatchSizes batches, long seed, Arithmetic arithmetic) {
    try (engine) {
      BilevelOracle oracle = new BilevelOracle(problem, engine, batches, seed, arithmetic);
      F2ba solver = new F2ba(oracle, new F2baParameters(50.0, 0.5, 0.1, false, 0),
          InnerSchedule.fixed(3), new double[problem.dimX()],
          TestData.gaussian(problem.dimY(), 0.1, 5));
      List<OuterState> states = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        states.add(solver.next());
      }
      return states;
    }
  }
}
