package org.f2ba.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.TestData;
import org.f2ba.TestTables;
import org.f2ba.data.LabeledData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCleanerTest {
  private static final int ROWS = 900;
  private static final int CLASSES = 3;
  private static SparkSession spark;
  /**
   * Clustered rows, every third validating (labels kept), the others training with 40% of their
   * labels replaced by random ones; "corrupted" says which. Repartitioned: Spark may filter
   * before it repartitions, which must not change which weight is whose.
   */
  private static Dataset<Row> data;

  @TempDir
  Path dir;

  @BeforeAll
  static void data() {
    spark = TestTables.session();
    LabeledData clusters = TestData.clusters("clusters", ROWS, 10, CLASSES, 11);
    Random noise = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      boolean validation = i % 3 == 0;
      int label = (int) clusters.labels()[i];
      if (!validation && noise.nextDouble() < 0.4) {
        label = (label + 1 + noise.nextInt(CLASSES - 1)) % CLASSES;
      }
      rows.add(RowFactory.create(clusters.vector(i), (double) label, validation,
          label != clusters.labels()[i]));
    }
    data = spark.createDataFrame(rows, new StructType()
        .add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType)
        .add("isVal", DataTypes.BooleanType)
        .add("corrupted", DataTypes.BooleanType)).repartition(2);
  }

  private static DataCleaner cleaner() {
    return new DataCleaner().setValidationIndicatorCol("isVal").setMaxIter(10).setSeed(4);
  }

  @Test
  void learnedWeightsSeparateCorruptedRowsAndFeedSparkMlsWeightCol() {
    DataCleanerModel model = cleaner().fit(data);
    assertEquals(ROWS - ROWS / 3, model.numTrainingRows());
    double[] losses = model.summary().objectiveHistory();
    assertTrue(losses[10] < losses[0], "validation loss " + losses[0] + " -> " + losses[10]);

    List<Row> weighted = model.transform(data).select("isVal", "corrupted", "weight")
        .collectAsList();
    double[] sum = new double[2];
    int[] count = new int[2];
    List<Double> trainingWeights = new ArrayList<>();
    for (Row r : weighted) {
      if (r.getBoolean(0)) {
        assertEquals(1.0, r.getDouble(2), "a validation row's weight");
      } else {
        int corrupted = r.getBoolean(1) ? 1 : 0;
        sum[corrupted] += r.getDouble(2);
        count[corrupted]++;
        trainingWeights.add(r.getDouble(2));
      }
    }
    double clean = sum[0] / count[0];
    double corrupted = sum[1] / count[1];
    assertTrue(clean > corrupted + 0.1, "mean weight clean " + clean + ", corrupted "
        + corrupted);
    assertArrayEquals(model.weights().toArray(),
        trainingWeights.stream().mapToDouble(Double::doubleValue).toArray(), 0.0,
        "the column holds the weights in the rows' order");

    // Any Spark ML estimator trains on the cleaned rows through its weightCol.
    Dataset<Row> training = model.transform(data).filter("NOT isVal");
    double plain = accuracy(new LogisticRegression().setMaxIter(50).fit(training)
        .transform(data.filter("isVal")));
    double cleaned = accuracy(new LogisticRegression().setMaxIter(50).setWeightCol("weight")
        .fit(training).transform(data.filter("isVal")));
    assertTrue(cleaned >= plain, "validation accuracy " + plain + " plain, " + cleaned
        + " with the learned weights");
  }

  @Test
  void aLoadedModelWeighsTheSameAndAnotherDatasetIsRefused() throws Exception {
    DataCleanerModel model = cleaner().setMaxIter(2).fit(data);
    String path = dir.resolve("cleaner").toString();
    model.write().overwrite().save(path);
    DataCleanerModel loaded = DataCleanerModel.load(path);
    assertFalse(loaded.hasSummary());
    assertEquals(model.transform(data).collectAsList(), loaded.transform(data).collectAsList());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loaded.transform(data.limit(300)));
    assertTrue(e.getMessage().contains("the model learned weights for 600"), e.getMessage());
  }

  @Test
  void rowsWithoutAnIndicatorAreInNeitherSet() {
    Dataset<Row> withNulls = data.selectExpr("features", "label",
        "CASE WHEN corrupted THEN NULL ELSE isVal END AS isVal");
    DataCleanerModel model = cleaner().setMaxIter(1).fit(withNulls);
    long corrupted = data.filter("corrupted").count();
    assertEquals(ROWS - ROWS / 3 - corrupted, model.numTrainingRows());
    for (Row r : model.transform(withNulls).filter("isVal IS NULL").select("weight")
        .collectAsList()) {
      assertNull(r.get(0));
    }
  }

  /**
   * A fit cut short (its thread interrupted once outer iteration 5 has begun) keeps its
   * checkpoint; the same estimator fits again from it, ends where an uninterrupted fit ends, and
   * then deletes its checkpoints.
   */
  @Test
  void aFitCutShortResumesFromItsCheckpoint() throws Exception {
    DataCleanerModel whole = cleaner().fit(data);
    SparkContext sc = spark.sparkContext();
    Path checkpoints = dir.resolve("checkpoints");
    sc.setCheckpointDir(checkpoints.toString());
    DataCleaner cleaner = cleaner().setCheckpointInterval(2);
    Thread fitting = Thread.currentThread();
    AtomicBoolean interrupted = new AtomicBoolean();
    SparkListener cut = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        if ("outer-5".equals(start.properties().getProperty("spark.jobGroup.id"))
            && !interrupted.getAndSet(true)) {
          fitting.interrupt();
        }
      }
    };
    sc.addSparkListener(cut);
    try {
      assertThrows(Exception.class, () -> cleaner.fit(data));
    } finally {
      sc.removeSparkListener(cut);
      Thread.interrupted(); // clears the flag where the fit did not wait on a job after it
    }
    Path kept;
    try (Stream<Path> dirs = Files.list(Files.list(checkpoints).filter(Files::isDirectory)
        .findFirst().orElseThrow())) {
      kept = dirs.filter(d -> d.getFileName().toString().startsWith("f2ba-" + cleaner.uid()))
          .findFirst().orElseThrow();
    }
    try (Stream<Path> files = Files.list(kept)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("ckpt-0000000[45]"
          + "\\.ckpt")), kept.toString());
    }
    Set<String> groups = ConcurrentHashMap.newKeySet();
    SparkListener watch = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        groups.add(String.valueOf(start.properties().getProperty("spark.jobGroup.id")));
      }
    };
    sc.addSparkListener(watch);
    DataCleanerModel resumed;
    try {
      resumed = cleaner.fit(data);
    } finally {
      sc.removeSparkListener(watch);
    }
    // it ran outer iterations (whose first jobs' events were delivered long before its end),
    // but not the first one
    assertTrue(groups.stream().anyMatch(g -> g.startsWith("outer-"))
        && !groups.contains("outer-1"), groups.toString());
    assertEquals(whole.weights(), resumed.weights());
    assertArrayEquals(whole.summary().objectiveHistory(),
        resumed.summary().objectiveHistory());
    assertFalse(Files.exists(kept));
  }

  private static double accuracy(Dataset<Row> predictions) {
    return predictions.filter("prediction = label").count() / (double) predictions.count();
  }
}
