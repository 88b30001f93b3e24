package org.f2ba.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.SparkTestContext;
import org.f2ba.TestData;
import org.f2ba.TestTables;
import org.f2ba.data.Blocks;
import org.f2ba.data.LabelNoise;
import org.f2ba.data.LabeledData;
import org.f2ba.data.SparseLabeledData;
import org.f2ba.data.TableRows;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.CrossEntropyLoss;
import org.f2ba.problem.L2Penalty;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.WeightedCrossEntropyLoss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards of tables that a Spark data source reads: the shards of the same rows held in memory,
 * whether the executors build and cache them or the driver collects them, and the same again
 * after the cached blocks are lost.
 */
class TableShardingTest {
  private static final int CLASSES = 3;
  private static final int DIM = 5;

  @TempDir
  Path dir;

  private final BilevelProblem problem = new BilevelProblem(301, (DIM + 1) * CLASSES,
      new CrossEntropyLoss(CLASSES), new WeightedCrossEntropyLoss(CLASSES), null,
      L2Penalty.fixed(0.01));

  @Test
  void shardsOfTablesAreTheShardsOfTheSameRowsHeldInMemory() throws InterruptedException {
    SparkSession spark = TestTables.session();
    // Small file splits: the source reads the files in several partitions, some empty, whose
    // rows do not line up with the shards.
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1024");
    spark.conf().set("spark.sql.files.openCostInBytes", "1");
    try {
      String train = TestTables.write(TestData.clusters("train", 301, DIM, CLASSES, 1),
          dir.resolve("train"), 3);
      String val = TestTables.write(TestData.clusters("val", 97, DIM, CLASSES, 2),
          dir.resolve("val"), 2);
      Map<DataRole, TableRows> tables = new EnumMap<>(Map.of(
          DataRole.LOWER, read(spark, train), DataRole.UPPER, read(spark, val)));
      Map<DataRole, LabeledData> held = new EnumMap<>(Map.of(
          DataRole.LOWER, TestTables.read(train, "train", CLASSES),
          DataRole.UPPER, TestTables.read(val, "val", CLASSES)));
      for (int shards : new int[] {2, 5}) {
        LossSums[] expected = new LocalEngine(problem, Sharding.split(held, shards, 16))
            .evaluate(gradients());
        assertSame(expected, new LocalEngine(problem, TableSharding.collected(tables, shards,
            16)).evaluate(gradients()));
        try (SparkEngine engine = SparkEngine.readingTablesOnExecutors(SparkTestContext.get(),
            problem, tables, shards, 16)) {
          assertSame(expected, engine.evaluate(gradients()));
          // Loses the cached blocks (and keeps the RDD cached, as an executor's loss does).
          RDD<?> cached = SparkTestContext.get().sc().getPersistentRDDs()
              .get(engine.shardsRddId()).get();
          cached.unpersist(true);
          cached.persist(StorageLevel.MEMORY_ONLY());
          assertSame(expected, engine.evaluate(gradients()));
        }
      }
      // Label noise by row number, as for rows held in memory.
      assertArrayEquals(LabelNoise.corrupt(held.get(DataRole.LOWER).labels(), CLASSES, 0.4, 9),
          tables.get(DataRole.LOWER).withLabelNoise(0.4, 9).labels());
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
  }

  /**
   * A sparse table (rows of 300 features, about 4 set) in several partitions: the executors make
   * sparse blocks, the shards of the same rows held in memory sparse, bit for bit.
   */
  @Test
  void sparseTablesMakeTheSparseShardsOfTheSameRowsHeldInMemory() {
    SparkSession spark = TestTables.session();
    String train = TestTables.write(Blocks.sparse("train", 301, 300, CLASSES, 4, 1),
        dir.resolve("sparse-train"), 3);
    String val = TestTables.write(Blocks.sparse("val", 97, 300, CLASSES, 4, 2),
        dir.resolve("sparse-val"), 2);
    Map<DataRole, TableRows> tables = new EnumMap<>(Map.of(
        DataRole.LOWER, read(spark, train), DataRole.UPPER, read(spark, val)));
    assertTrue(tables.get(DataRole.LOWER).sparse());
    Map<DataRole, SparseLabeledData> held = new EnumMap<>(Map.of(
        DataRole.LOWER, TestTables.readSparse(train, "train", CLASSES),
        DataRole.UPPER, TestTables.readSparse(val, "val", CLASSES)));
    BilevelProblem wide = new BilevelProblem(301, 301 * CLASSES, new CrossEntropyLoss(CLASSES),
        new WeightedCrossEntropyLoss(CLASSES), null, L2Penalty.fixed(0.01));
    LossSums[] expected = new LocalEngine(wide, Sharding.split(held, 3, 16))
        .evaluate(gradients(wide));
    try (SparkEngine engine = SparkEngine.readingTablesOnExecutors(SparkTestContext.get(),
        wide, tables, 3, 16)) {
      assertSame(expected, engine.evaluate(gradients(wide)));
    }
  }

  private static TableRows read(SparkSession spark, String path) {
    return TableRows.read(spark, "parquet", Map.of(), path, "features", "label", CLASSES);
  }

  private Evaluation gradients() {
    return gradients(problem);
  }

  /** Gradients over all rows and over a mini-batch of each level. */
  private static Evaluation gradients(BilevelProblem problem) {
    double[] x = TestData.gaussian(301, 1, 3);
    return new Evaluation(x, new double[][] {TestData.gaussian(problem.dimY(), 0.1, 5)},
        List.of(LossRequest.lower(0).withGradX().withGradY().overAllSamples(),
            LossRequest.upper(0).withGradY().overAllSamples(),
            LossRequest.lower(0).withGradY(), LossRequest.upper(0).withGradY()),
        Draw.random(4), 1, new BatchSizes(40, 16), Arithmetic.DEFAULT);
  }

  private static void assertSame(LossSums[] expected, LossSums[] actual) {
    assertEquals(expected.length, actual.length);
    for (int r = 0; r < expected.length; r++) {
      assertEquals(expected[r].value, actual[r].value, "request " + r);
      assertEquals(expected[r].count, actual[r].count, "request " + r);
      assertArrayEquals(expected[r].gradY, actual[r].gradY, "request " + r);
      if (expected[r].gradX != null) {
        assertArrayEquals(expected[r].gradX, actual[r].gradX, "request " + r);
      }
    }
  }
}
