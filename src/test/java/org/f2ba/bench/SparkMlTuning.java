package org.f2ba.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.data.ImageFiles;
import org.f2ba.data.InMemoryRows;
import org.f2ba.data.LabelNoise;
import org.f2ba.ml.RegularizationTuner;
import org.f2ba.ml.RegularizationTunerModel;
import org.f2ba.ml.TrainingSummary;

/**
 * The regularization-tuning protocol against Spark ML's own tuning: Fashion-MNIST, the first
 * 40,000 training images with labels replaced by random classes with probability 0.5, the next
 * 20,000 (clean) validating, the 10,000 test images; the same cached DataFrame and local[2]
 * session for both. Spark ML: what TrainValidationSplit does for each point of a 13-point
 * regParam grid over LogisticRegression (fit on the training rows, log loss on the validation
 * rows), on this fixed split rather than a random one. This project: the RegularizationTuner
 * with one strength and with one a class. Writes OUT/spark-ml-tuning.md and .json.
 *
 * <p>{@code SparkMlTuning OUT [FASHION_MNIST_DIR]}
 */
public final class SparkMlTuning {
  private static final int TRAIN = 40_000;
  private static final int VALIDATION = 20_000;
  private static final int TEST = 10_000;
  private static final long SEED = 1;

  private SparkMlTuning() {
  }

  public static void main(String[] args) throws Exception {
    Path out = Files.createDirectories(Path.of(args[0]));
    String dir = args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
    SparkSession spark = SparkSession.builder().master("local[2]").appName("spark-ml-tuning")
        .config("spark.ui.enabled", "false").getOrCreate();
    InMemoryRows trainFile = ImageFiles.load(dir + "/train-images-idx3-ubyte.gz",
        dir + "/train-labels-idx1-ubyte.gz", 10);
    InMemoryRows testFile = ImageFiles.load(dir + "/t10k-images-idx3-ubyte.gz",
        dir + "/t10k-labels-idx1-ubyte.gz", 10);
    double[] noisy = LabelNoise.corrupt(Arrays.copyOf(trainFile.labels(), TRAIN), 10,
        0.5, SEED);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < TRAIN + VALIDATION; i++) {
      double label = i < TRAIN ? noisy[i] : trainFile.labels()[i];
      rows.add(RowFactory.create(trainFile.vector(i), label, i >= TRAIN));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType).add("isVal", DataTypes.BooleanType);
    Dataset<Row> data = spark.createDataFrame(rows, schema).repartition(2).cache();
    List<Row> testRows = new ArrayList<>();
    for (int i = 0; i < TEST; i++) {
      testRows.add(RowFactory.create(testFile.vector(i), (double) testFile.labels()[i], false));
    }
    Dataset<Row> test = spark.createDataFrame(testRows, schema).repartition(2).cache();
    Dataset<Row> train = data.filter("NOT isVal").cache();
    Dataset<Row> validation = data.filter("isVal").cache();
    System.out.printf("rows: %d training, %d validation, %d test%n", train.count(),
        validation.count(), test.count());
    data.count();
    MulticlassClassificationEvaluator logLoss = new MulticlassClassificationEvaluator()
        .setMetricName("logLoss");
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
        .setMetricName("accuracy");

    LogisticRegression lr = new LogisticRegression();
    double[] grid = new double[13];
    for (int k = 0; k < grid.length; k++) {
      grid[k] = Math.pow(10, -6 + 0.5 * k);
    }
    List<Map<String, Object>> points = new ArrayList<>();
    long gridStart = System.nanoTime();
    double bestLoss = Double.POSITIVE_INFINITY;
    Map<String, Object> best = null;
    for (ParamMap params : new ParamGridBuilder().addGrid(lr.regParam(), grid).build()) {
      long start = System.nanoTime();
      LogisticRegressionModel model = lr.fit(train, params);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("regParam", params.apply(lr.regParam()));
      point.put("fit_s", seconds);
      point.put("lbfgs_iterations", model.summary().totalIterations());
      point.put("val_loss", logLoss.evaluate(model.transform(validation)));
      point.put("test_acc", accuracy.evaluate(model.transform(test)));
      point.put("elapsed_s", (System.nanoTime() - gridStart) / 1e9);
      System.out.println("grid " + point);
      points.add(point);
      if ((double) point.get("val_loss") < bestLoss) {
        bestLoss = (double) point.get("val_loss");
        best = point;
      }
    }
    double gridSeconds = (System.nanoTime() - gridStart) / 1e9;

    List<Map<String, Object>> tuners = new ArrayList<>();
    for (String[] g : new String[][] {{"scalar", "-8"}, {"per-class", "-2"}}) {
      RegularizationTuner tuner = new RegularizationTuner().setGranularity(g[0])
          .setInitialLogStrength(Double.parseDouble(g[1])).setValidationIndicatorCol("isVal")
          .setSeed(SEED);
      long start = System.nanoTime();
      RegularizationTunerModel model = tuner.fit(data);
      double seconds = (System.nanoTime() - start) / 1e9;
      TrainingSummary summary = model.summary();
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("granularity", g[0]);
      run.put("initial_log_strength", Double.parseDouble(g[1]));
      run.put("fit_s", seconds);
      run.put("outer_iterations", summary.totalIterations());
      run.put("val_loss", logLoss.evaluate(model.transform(validation)));
      run.put("test_acc", accuracy.evaluate(model.transform(test)));
      run.put("log_strengths", model.logStrengths().toArray());
      run.put("s_to_grid_best", secondsToReach(summary, bestLoss));
      run.put("val_loss_history", summary.objectiveHistory());
      run.put("wall_s_history", summary.wallSecondsHistory());
      System.out.println("tuner " + run);
      tuners.add(run);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("protocol", "Fashion-MNIST: 40k training rows (labels random with p = 0.5),"
        + " 20k validation, 10k test; local[2]");
    report.put("grid", points);
    report.put("grid_s", gridSeconds);
    report.put("grid_best", best);
    report.put("tuners", tuners);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("spark-ml-tuning.json").toFile(), report);
    Files.writeString(out.resolve("spark-ml-tuning.md"), markdown(points, gridSeconds, best,
        tuners));
    spark.stop();
  }

  /** Seconds of the fit until its validation loss was first at most {@code target} (or NaN). */
  private static double secondsToReach(TrainingSummary summary, double target) {
    double[] losses = summary.objectiveHistory();
    double[] seconds = summary.wallSecondsHistory();
    for (int t = 0; t < losses.length; t++) {
      if (losses[t] <= target) {
        return seconds[t];
      }
    }
    return Double.NaN;
  }

  private static String markdown(List<Map<String, Object>> points, double gridSeconds,
      Map<String, Object> best, List<Map<String, Object>> tuners) {
    StringBuilder b = new StringBuilder("# Regularization tuning against Spark ML's own tuning\n\n"
        + "Generated by `submit-scripts/spark-ml-tuning.sh` (`org.f2ba.bench.SparkMlTuning`)."
        + " Fashion-MNIST: the first 40,000 training images with labels replaced by random"
        + " classes with probability 0.5, the next 20,000 validating (clean), the 10,000 test"
        + " images; one cached DataFrame, local[2], 2 cores. Validation loss is Spark ML's"
        + " `logLoss` of each model on the validation rows, test accuracy its `accuracy` on the"
        + " test rows.\n\n## Spark ML: LogisticRegression over a 13-point regParam grid\n\n"
        + "What `TrainValidationSplit` does for each grid point, on this fixed split: fit on the"
        + " training rows (L-BFGS, Spark ML's defaults: at most 100 iterations,"
        + " standardization), log loss on the validation rows. (`TrainValidationSplit` itself"
        + " draws its split at random and refits the best point on all rows at the end; neither"
        + " is timed here.)\n\n| regParam | fit s | L-BFGS iterations | validation loss |"
        + " test accuracy |\n| ---: | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> p : points) {
      b.append(String.format("| %.0e | %.1f | %d | %.4f | %.4f |%n", p.get("regParam"),
          p.get("fit_s"), p.get("lbfgs_iterations"), p.get("val_loss"), p.get("test_acc")));
    }
    b.append(String.format("%nThe grid: %.1f s in all; its best point regParam %.0e, validation"
            + " loss %.4f, test accuracy %.4f.%n%n## This project: RegularizationTuner%n%n"
            + "F²BA with the estimator's defaults (T = 30 outer iterations, K = 30, τ = 0.075,"
            + " σ = 0.1, η = 100), one fit each.%n%n| strengths | from log-strength | fit s |"
            + " validation loss | test accuracy | s to the grid's best validation loss |%n"
            + "| --- | ---: | ---: | ---: | ---: | ---: |%n", gridSeconds, best.get("regParam"),
        best.get("val_loss"), best.get("test_acc")));
    for (Map<String, Object> t : tuners) {
      double reach = (double) t.get("s_to_grid_best");
      b.append(String.format("| %s | %.0f | %.1f | %.4f | %.4f | %s |%n", t.get("granularity"),
          t.get("initial_log_strength"), t.get("fit_s"), t.get("val_loss"), t.get("test_acc"),
          Double.isNaN(reach) ? "not reached" : String.format("%.1f", reach)));
    }
    return b.toString();
  }
}
