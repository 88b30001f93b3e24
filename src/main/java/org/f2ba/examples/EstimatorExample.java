package org.f2ba.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.f2ba.ml.DataCleaner;
import org.f2ba.ml.DataCleanerModel;
import org.f2ba.ml.RegularizationTuner;
import org.f2ba.ml.RegularizationTunerModel;

/**
 * The project's Spark ML estimators on tables in Spark ML's form (a vector column "features", a
 * numeric column "label"): {@code EstimatorExample TRAIN TEST [LABEL_NOISE]}. A fifth of the
 * training table validates (its labels trusted); the other rows' labels are replaced by random
 * classes with probability LABEL_NOISE (default 0.5), as if they had been labelled carelessly.
 * Then
 *
 * <ol>
 *   <li>a RegularizationTuner in a Pipeline learns one L2 strength a class, and its model
 *       predicts the test table;
 *   <li>a DataCleaner learns a weight for every training row, and Spark ML's own
 *       LogisticRegression trains on the rows through its weightCol, against the same without
 *       the weights.
 * </ol>
 *
 * <p>Run it with submit-scripts/estimator-example.sh, or spark-submit --class with the
 * project's jar.
 */
public final class EstimatorExample {
  private EstimatorExample() {
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: EstimatorExample TRAIN_TABLE TEST_TABLE [LABEL_NOISE]");
      System.exit(2);
    }
    double noise = args.length > 2 ? Double.parseDouble(args[2]) : 0.5;
    SparkSession spark = SparkSession.builder().appName("f2ba estimators")
        .master(System.getProperty("spark.master", "local[2]")).getOrCreate();
    Dataset<Row> table = spark.read().parquet(args[0]);
    Dataset<Row> test = spark.read().parquet(args[1]);
    int classes = (int) table.agg(max("label")).head()
        .getDouble(0) + 1;
    Dataset<Row> train = table.withColumn("isVal", rand(1).lt(0.2))
        .withColumn("label", when(col("isVal").or(rand(2).geq(noise)), col("label"))
            .otherwise(floor(rand(3).multiply(classes)).cast("double")))
        .cache();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");

    // 1. Regularization tuning, as a Pipeline stage.
    RegularizationTuner tuner = new RegularizationTuner().setGranularity("per-class")
        .setValidationIndicatorCol("isVal").setMaxIter(30);
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {tuner}).fit(train);
    RegularizationTunerModel tuned = (RegularizationTunerModel) pipeline.stages()[0];
    System.out.printf("regularization tuner: strengths %s, %d outer iterations, validation loss"
            + " %.4f -> %.4f, test accuracy %.4f%n", tuned.strengths(),
        tuned.summary().totalIterations(), tuned.summary().objectiveHistory()[0],
        last(tuned.summary().objectiveHistory()),
        accuracy.evaluate(pipeline.transform(test)));

    // 2. Data cleaning, then the estimator the user already has, with the weights.
    DataCleanerModel cleaner = new DataCleaner().setValidationIndicatorCol("isVal")
        .setMaxIter(30).fit(train);
    Dataset<Row> weighted = cleaner.transform(train).filter("NOT isVal");
    LogisticRegression lr = new LogisticRegression().setMaxIter(100).setRegParam(1e-3);
    double plain = accuracy.evaluate(lr.fit(weighted).transform(test));
    double cleaned = accuracy.evaluate(lr.setWeightCol("weight").fit(weighted)
        .transform(test));
    System.out.printf("data cleaner: %d training rows weighted in %d outer iterations;"
            + " LogisticRegression test accuracy %.4f without the weights, %.4f with them%n",
        cleaner.numTrainingRows(), cleaner.summary().totalIterations(), plain, cleaned);
    spark.stop();
  }

  private static double last(double[] values) {
    return Arrays.stream(values).reduce((a, b) -> b).orElse(Double.NaN);
  }
}
