package org.f2ba.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.f2ba.app.BilevelRun;
import org.f2ba.app.CheckpointStore;
import org.f2ba.app.Checkpointing;
import org.f2ba.app.DiagnosticSettings;
import org.f2ba.app.Experiment;
import org.f2ba.app.Experiments;
import org.f2ba.app.SolverSettings;
import org.f2ba.app.StopSignals;
import org.f2ba.data.FeatureScaler;
import org.f2ba.data.FeatureStatistics;
import org.f2ba.data.InputException;
import org.f2ba.data.TableRows;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.SparkEngine;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.Blas;
import org.slf4j.Logger;

/**
 * One fit of an estimator: its rows split into training and validation sets that the executors
 * read and cache (no row passes through the driver), standardized by the training rows'
 * statistics, and the solver's outer loop run on the driver over them to the stopping rule.
 */
final class DatasetRun {
  /** Rows a cached block holds at most. */
  private static final int BLOCK_ROWS = 2048;
  /** Standard deviation of the initial model's entries. */
  private static final double INIT_SCALE = 0.01;
  private static final long DRAW_RANGE = 1L << 40;
  /** The name of the column {@link #withValidationFlag} adds. */
  private static final String FLAG = "_f2ba_validates";

  /** The bilevel problem of an estimator over the training (LOWER) and validation (UPPER) rows. */
  interface ProblemMaker {
    Experiment make(Map<DataRole, TableRows> data, int numClasses, double[] y0);
  }

  /**
   * What a fit learned: the hyperparameters x, the model y on the features as given (scaling
   * folded in; column-major, numFeatures + 1 rows with the intercept last, numClasses columns),
   * how many training rows there were, and the run's summary.
   */
  record Result(double[] x, double[] model, int numClasses, int numFeatures, int trainingRows,
      TrainingSummary summary) {
  }

  private DatasetRun() {
  }

  static Result fit(BilevelEstimator<?, ?> estimator, Dataset<?> dataset, ProblemMaker maker,
      Logger log) {
    estimator.solverSettings(1); // bad settings are refused before any job
    Dataset<Row> frame = dataset.toDF();
    String labelCol = estimator.getLabelCol();
    String featuresCol = estimator.getFeaturesCol();
    int numClasses = numClasses(frame, labelCol);
    int flagAt = frame.schema().size();
    int featuresAt = frame.schema().fieldIndex(featuresCol);
    int labelAt = frame.schema().fieldIndex(labelCol);
    // (features, label, whether it validates)
    JavaRDD<Row> rows = withValidationFlag(frame, estimator.hasValidationIndicatorCol()
        ? estimator.getValidationIndicatorCol() : null, estimator.getTrainRatio(),
        estimator.getSeed())
        .map(r -> RowFactory.create(r.get(featuresAt), r.get(labelAt), r.get(flagAt)));
    TableRows train = TableRows.of("the training rows", rows.filter(r -> isTraining(r, 2)),
        featuresCol, labelCol, numClasses);
    TableRows val = TableRows.of("the validation rows", rows.filter(r -> isValidation(r, 2)),
        featuresCol, labelCol, numClasses);
    for (TableRows set : new TableRows[] {train, val}) {
      int batch = estimator.getBatchSize();
      if (batch > set.rows()) {
        throw new IllegalArgumentException("batchSize " + batch + " is larger than the "
            + set.rows() + " rows of " + set.name());
      }
    }
    FeatureScaler scaler = null;
    if (estimator.getStandardization()) {
      FeatureStatistics statistics = train.statistics();
      scaler = train.sparse() ? FeatureScaler.scalingOnly(statistics)
          : FeatureScaler.standardizing(statistics);
      train = train.scaled(scaler);
      val = val.scaled(scaler);
    }
    SolverSettings settings = estimator.solverSettings(train.rows());
    Map<DataRole, TableRows> data = new EnumMap<>(DataRole.class);
    data.put(DataRole.LOWER, train);
    data.put(DataRole.UPPER, val);
    long seed = estimator.getSeed();
    double[] y0 = Experiments.initialModel((train.dim() + 1) * numClasses, INIT_SCALE, seed);
    Experiment experiment = maker.make(data, numClasses, y0);
    log.info("{}: {} training rows, {} validation rows, {} features, {} classes; dim x {}",
        experiment.name(), train.rows(), val.rows(), train.dim(), numClasses,
        experiment.problem().dimX());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession()
        .sparkContext());
    int partitions = estimator.getNumPartitions() > 0 ? estimator.getNumPartitions()
        : jsc.defaultParallelism();
    Arithmetic arithmetic = new Arithmetic(Arithmetic.Precision.SINGLE, Blas.Choice.AUTO);
    try (SparkEngine engine = SparkEngine.readingTablesOnExecutors(jsc, experiment.problem(),
        data, partitions, BLOCK_ROWS)) {
      BilevelRun run = new BilevelRun(experiment, engine, arithmetic, settings, seed,
          ProgressLog.to(log), DiagnosticSettings.OFF);
      FitHistory history = new FitHistory(run.columns());
      Checkpointing checkpointing = checkpointing(estimator, jsc, log);
      Map<String, Object> summary = run.run(history, checkpointing, StopSignals.NONE);
      if (checkpointing.store() != null) {
        checkpointing.store().deleteAll(); // the fit is done: nothing to resume
      }
      double[] y = history.vector("y.txt");
      return new Result(history.vector("x.txt"),
          scaler == null ? y : scaler.unscaledModel(y, numClasses), numClasses, train.dim(),
          train.rows(), history.summary((String) summary.get("stop_reason")));
    }
  }

  /**
   * The fit's checkpoints: every checkpointInterval outer iterations, in the estimator's
   * directory under the SparkContext's checkpoint directory, resuming from the newest there;
   * none where checkpointInterval is -1 or no checkpoint directory is set (which is logged).
   */
  private static Checkpointing checkpointing(BilevelEstimator<?, ?> estimator,
      JavaSparkContext jsc, Logger log) {
    int interval = estimator.getCheckpointInterval();
    if (interval < 1) {
      return Checkpointing.NONE;
    }
    if (!jsc.getCheckpointDir().isPresent()) {
      log.warn("checkpointInterval {} is ignored: no checkpoint directory is set in the"
          + " SparkContext (SparkContext.setCheckpointDir)", interval);
      return Checkpointing.NONE;
    }
    String dir = estimator.checkpointDirectory(jsc.getCheckpointDir().get());
    log.info("checkpoints every {} outer iterations in {}", interval, dir);
    try {
      return new Checkpointing(new CheckpointStore(dir, true), interval, true);
    } catch (InputException e) {
      throw new IllegalArgumentException("checkpointInterval: " + e.getMessage(), e);
    }
  }

  /**
   * The rows of {@code frame}, each with one more field, last: whether it validates. That is
   * the validation indicator column (null: none), or else a draw from the row's position (its
   * partition and place in it) and the seed, true with probability 1 − trainRatio; rows where
   * the indicator is null are neither training nor validation rows. The same rows read the same
   * way come in the same partitions and draw the same, in a fit and in a model's transform: the
   * sets are taken from these rows, not by filters on the frame that Spark's optimizer may move
   * below a repartition.
   */
  static JavaRDD<Row> withValidationFlag(Dataset<Row> frame, String indicatorCol,
      double trainRatio, long seed) {
    Column flag = indicatorCol != null ? col(indicatorCol) : pmod(xxhash64(
        monotonically_increasing_id(), lit(seed)), lit(DRAW_RANGE))
        .geq(lit((long) Math.ceil(trainRatio * DRAW_RANGE)));
    return frame.withColumn(FLAG, flag).javaRDD();
  }

  /** Whether a row of {@link #withValidationFlag} trains, its flag at {@code flagAt}. */
  static boolean isTraining(Row row, int flagAt) {
    return !row.isNullAt(flagAt) && !row.getBoolean(flagAt);
  }

  /** Whether a row of {@link #withValidationFlag} validates, its flag at {@code flagAt}. */
  static boolean isValidation(Row row, int flagAt) {
    return !row.isNullAt(flagAt) && row.getBoolean(flagAt);
  }

  /**
   * The classes of the label column: as its metadata says where Spark ML's indexers set it,
   * else the largest label + 1, at least 2.
   */
  private static int numClasses(Dataset<Row> frame, String labelCol) {
    Attribute attribute = Attribute.fromStructField(frame.schema().apply(labelCol));
    if (attribute instanceof BinaryAttribute) {
      return 2;
    }
    if (attribute instanceof NominalAttribute nominal && nominal.getNumValues().isDefined()) {
      return Math.max(2, (Integer) nominal.getNumValues().get());
    }
    Row largest = frame.agg(max(col(labelCol).cast("double"))).head();
    if (largest.isNullAt(0)) {
      throw new IllegalArgumentException("the dataset has no rows with a label in column '"
          + labelCol + "'");
    }
    double label = largest.getDouble(0);
    if (label != Math.rint(label) || label < 0 || label >= Integer.MAX_VALUE) {
      throw new IllegalArgumentException("column '" + labelCol + "' holds the label " + label
          + ", not a class 0, 1, ...");
    }
    return Math.max(2, (int) label + 1);
  }
}
