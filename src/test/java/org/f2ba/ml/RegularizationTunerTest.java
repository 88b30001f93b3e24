package org.f2ba.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
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

class RegularizationTunerTest {
  private static final int ROWS = 900;
  private static final int FEATURES = 12;
  private static final int CLASSES = 3;
  private static SparkSession spark;
  /** Features shifted and stretched away from standardized, a third of the rows validating. */
  private static Dataset<Row> data;

  @TempDir
  Path dir;

  @BeforeAll
  static void data() {
    spark = TestTables.session();
    LabeledData clusters = TestData.clusters("clusters", ROWS, FEATURES, CLASSES, 7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      double[] v = clusters.vector(i).toArray();
      for (int j = 0; j < FEATURES; j++) {
        v[j] = 3 * v[j] + 5 + j;
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) clusters.labels()[i], i % 3 == 0));
    }
    data = spark.createDataFrame(rows, new StructType()
        .add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType)
        .add("isVal", DataTypes.BooleanType)).repartition(2);
  }

  private static RegularizationTuner tuner() {
    return new RegularizationTuner().setValidationIndicatorCol("isVal").setMaxIter(4)
        .setInnerIter(5).setStepSize(10).setInnerStepSize(0.2).setSeed(3);
  }

  @Test
  void fitLearnsStrengthsAndTheModelPredictsAsTheRunScoredIt() {
    RegularizationTunerModel model = tuner().fit(data);
    TrainingSummary summary = model.summary();
    assertEquals(4, summary.totalIterations());
    assertEquals(5, summary.objectiveHistory().length);
    double[] losses = summary.objectiveHistory();
    assertTrue(losses[4] < losses[0], "validation loss " + losses[0] + " -> " + losses[4]);
    assertEquals(CLASSES, model.strengths().size());
    assertNotEquals(Math.exp(-2.0), model.strengths().apply(0), "the strengths moved");
    assertEquals(CLASSES, model.numClasses());
    assertEquals(FEATURES, model.numFeatures());

    // The model applies to the features as given: on the validation rows, its loss and
    // accuracy are those the run computed on the standardized features.
    List<Row> scored = model.transform(data.filter("isVal"))
        .select("label", "probability", "prediction").collectAsList();
    double loss = 0;
    double correct = 0;
    for (Row r : scored) {
      int label = (int) r.getDouble(0);
      loss -= Math.log(((Vector) r.get(1)).apply(label));
      correct += r.getDouble(2) == label ? 1 : 0;
    }
    assertEquals(losses[4], loss / scored.size(), 1e-4 * losses[4]);
    double[] accuracy = summary.validationAccuracyHistory();
    assertEquals(accuracy[4], correct / scored.size(), 1.5 / scored.size());
  }

  @Test
  void savedAndLoadedModelsAndPipelinesPredictTheSame() throws Exception {
    RegularizationTunerModel model = tuner().fit(data);
    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    RegularizationTunerModel loaded = RegularizationTunerModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertArrayEquals(model.logStrengths().toArray(), loaded.logStrengths().toArray());
    assertEquals("per-class", loaded.granularity());
    assertFalse(loaded.hasSummary());
    assertEquals(predictions(model), predictions(loaded));

    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {tuner()});
    PipelineModel fitted = pipeline.fit(data);
    fitted.write().overwrite().save(dir.resolve("pipeline").toString());
    PipelineModel reloaded = PipelineModel.load(dir.resolve("pipeline").toString());
    assertEquals(predictions(fitted.transform(data)), predictions(reloaded.transform(data)));
    assertEquals(predictions(model), predictions(fitted.transform(data)),
        "the pipeline's fit is the estimator's");

    tuner().write().overwrite().save(dir.resolve("tuner").toString());
    RegularizationTuner tuner = RegularizationTuner.load(dir.resolve("tuner").toString());
    assertEquals(5, tuner.getInnerIter());
    assertEquals("isVal", tuner.getValidationIndicatorCol());
  }

  @Test
  void aSeededShareOfTheRowsValidatesWhereNoColumnSaysWhich() {
    RegularizationTuner tuner = new RegularizationTuner().setTrainRatio(0.7).setMaxIter(2)
        .setInnerIter(3).setStepSize(10).setInnerStepSize(0.2).setGranularity("scalar");
    Dataset<Row> features = data.drop("isVal");
    double[] first = tuner.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(1)
        .fit(features).logStrengths().toArray();
    double[] again = tuner.setSeed(1).fit(features).logStrengths().toArray();
    double[] other = tuner.setSeed(2).fit(features).logStrengths().toArray();
    assertEquals(1, first.length);
    assertArrayEquals(first, again, 0.0);
    assertNotEquals(first[0], other[0]);
  }

  @Test
  void badParamsAndColumnsAreRefusedWithSparkMlsMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RegularizationTuner().setMaxIter(0));
    assertTrue(e.getMessage().contains("maxIter given invalid value 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RegularizationTuner().setGranularity("per-pixel"));
    assertTrue(e.getMessage().contains("granularity given invalid value per-pixel"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RegularizationTuner().setTrainRatio(1.0));
    assertTrue(e.getMessage().contains("trainRatio given invalid value 1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RegularizationTuner().setCheckpointInterval(0));
    assertTrue(e.getMessage().contains("checkpointInterval given invalid value 0"),
        e.getMessage());
    new RegularizationTuner().setCheckpointInterval(-1).setCheckpointInterval(1);
    e = assertThrows(IllegalArgumentException.class,
        () -> tuner().setFeaturesCol("label").fit(data));
    assertTrue(e.getMessage().contains("Column label must be of type"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> tuner().setValidationIndicatorCol("label").fit(data));
    assertTrue(e.getMessage().contains("Column label must be of type"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> tuner().setSolver("aid-cg").fit(data));
    assertTrue(e.getMessage().contains("innerIter is a parameter of f2ba and accf2ba, not of"
        + " solver aid-cg"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RegularizationTuner().setSolverConf("f2ba.kappa=3").fit(data));
    assertTrue(e.getMessage().contains("solverConf [f2ba.kappa=3]")
        && e.getMessage().contains("solver.f2ba.kappa"), e.getMessage());
  }

  private static List<Row> predictions(RegularizationTunerModel model) {
    return predictions(model.transform(data));
  }

  private static List<Row> predictions(Dataset<Row> scored) {
    return scored.select("rawPrediction", "probability", "prediction").collectAsList();
  }
}
