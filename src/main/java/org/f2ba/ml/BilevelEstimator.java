package org.f2ba.ml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.SchemaUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.app.RunConfig;
import org.f2ba.app.SolverSettings;
import org.f2ba.app.Solvers;
import org.f2ba.data.InputException;
import org.f2ba.solver.F2ba;
import scala.Function1;

/**
 * What the project's Spark ML estimators share, as Spark ML Params: the columns they read, which
 * rows are the validation set (a boolean column, as Spark ML's GBT estimators take it, or a
 * seeded share of the rows), feature standardization, the solver with its stopping rule, and
 * checkpoints of the fit's state. A fit runs the solver's outer loop on the driver while the
 * executors read the rows and compute the gradients ({@link DatasetRun}).
 *
 * @param <M> the model a fit returns
 * @param <E> the estimator itself, which the setters return
 */
public abstract class BilevelEstimator<M extends Model<M>, E extends BilevelEstimator<M, E>>
    extends Estimator<M> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  /** The solvers whose keys innerIter, stepSize, innerStepSize and sigma set. */
  private static final Set<String> F2BA_FAMILY = Set.of(F2ba.NAME, F2ba.ACCELERATED);

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> validationIndicatorCol;
  private final DoubleParam trainRatio;
  private final LongParam seed;
  private final BooleanParam standardization;
  private final Param<String> solver;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final IntParam innerIter;
  private final DoubleParam stepSize;
  private final DoubleParam innerStepSize;
  private final DoubleParam sigma;
  private final IntParam batchSize;
  private final IntParam numPartitions;
  private final StringArrayParam solverConf;
  private final IntParam checkpointInterval;

  protected BilevelEstimator(String uid) {
    this.uid = uid;
    featuresCol = SharedParams.featuresCol(this);
    labelCol = new Param<>(this, "labelCol", "label column name (classes 0, 1, ...)");
    validationIndicatorCol = SharedParams.validationIndicatorCol(this);
    trainRatio = SharedParams.trainRatio(this);
    seed = SharedParams.seed(this);
    standardization = new BooleanParam(this, "standardization", "whether to standardize the"
        + " features by the training rows' statistics (sparse features are only scaled);"
        + " the model applies to the features as given either way");
    solver = new Param<>(this, "solver", "the bilevel solver: " + String.join(", ",
        Solvers.names()), ParamValidators.inArray(new ArrayList<>(Solvers.names())));
    maxIter = new IntParam(this, "maxIter", "maximum number of outer iterations (>= 1)",
        ParamValidators.gtEq(1));
    tol = new DoubleParam(this, "tol", "stop once the hyper-gradient estimate's norm is at most"
        + " this (>= 0; 0: never)", ParamValidators.gtEq(0));
    innerIter = new IntParam(this, "innerIter", "inner steps K per outer iteration of F2BA"
        + " and AccF2BA (>= 1)", ParamValidators.gtEq(1));
    stepSize = new DoubleParam(this, "stepSize", "step size eta of the hyperparameters x in"
        + " F2BA and AccF2BA (> 0)", ParamValidators.gt(0));
    innerStepSize = new DoubleParam(this, "innerStepSize", "step size tau of the model y and"
        + " its shadow z in F2BA and AccF2BA (> 0)", ParamValidators.gt(0));
    sigma = new DoubleParam(this, "sigma", "penalty sigma of the validation loss in the inner"
        + " steps of F2BA and AccF2BA (> 0; smaller: a finer hyper-gradient estimate)",
        ParamValidators.gt(0));
    batchSize = new IntParam(this, "batchSize", "rows of a mini-batch at both levels (>= 0;"
        + " 0: full batches)", ParamValidators.gtEq(0));
    numPartitions = new IntParam(this, "numPartitions", "partitions the rows are cached in"
        + " (>= 0; 0: Spark's default parallelism)", ParamValidators.gtEq(0));
    solverConf = new StringArrayParam(this, "solverConf", "further solver keys as KEY=VALUE,"
        + " KEY relative to 'solver.' (e.g. aid-cg.K=20, f2ba.restart-z=true): the keys of"
        + " f2ba-defaults.conf");
    setDefault(labelCol, "label");
    setDefault(standardization, true);
    setDefault(solver, F2ba.NAME);
    setDefault(maxIter, 30);
    setDefault(tol, 0.0);
    setDefault(batchSize, 0);
    setDefault(numPartitions, 0);
    checkpointInterval = new IntParam(this, "checkpointInterval", "set checkpoint interval"
        + " (>= 1) or disable checkpoint (-1). E.g. 10 means that the fit's state is"
        + " checkpointed every 10 outer iterations, under the SparkContext's checkpoint"
        + " directory, and a fit of the same estimator (uid and params) resumes from its newest"
        + " checkpoint. Note: this setting will be ignored if the checkpoint directory is not"
        + " set in the SparkContext.",
        (Function1<Object, Object>) v -> (Integer) v == -1 || (Integer) v >= 1);
    setDefault(solverConf, new String[0]);
    setDefault(checkpointInterval, -1);
  }

  @Override
  public String uid() {
    return uid;
  }

  @SuppressWarnings("unchecked")
  private E self() {
    return (E) this;
  }

  /**
   * The columns of a fit's input checked, with Spark ML's messages: features a vector column,
   * label numeric, the validation indicator (where set) boolean.
   */
  protected void validateInput(StructType schema) {
    SchemaUtils.checkColumnType(schema, getFeaturesCol(), SQLDataTypes.VectorType(), "");
    SchemaUtils.checkNumericType(schema, getLabelCol(), "");
    if (isSet(validationIndicatorCol)) {
      SchemaUtils.checkColumnType(schema, getValidationIndicatorCol(), DataTypes.BooleanType,
          "");
    }
  }

  /**
   * The step size of x for a fit on {@code trainingRows} rows: stepSize; an estimator whose x
   * has one entry a row, each of whose gradients shrinks as 1/rows, may scale its default.
   */
  protected double stepSizeFor(int trainingRows) {
    return getStepSize();
  }

  /**
   * The solver's settings for a fit on {@code trainingRows} rows, as the application's config
   * keys take them, checked: these Params, then solverConf.
   */
  SolverSettings solverSettings(int trainingRows) {
    String name = getSolver();
    List<String> keys = new ArrayList<>(List.of("solver.name=" + name,
        "solver.T=" + getMaxIter(), "solver.stop.hypergrad-norm=" + getTol(),
        "solver.batch.upper=" + batch(), "solver.batch.lower=" + batch()));
    List<Param<?>> f2baParams = List.of(innerIter, stepSize, innerStepSize, sigma);
    if (F2BA_FAMILY.contains(name)) {
      keys.add("solver." + name + ".K=" + getInnerIter());
      keys.add("solver." + name + ".eta=" + stepSizeFor(trainingRows));
      keys.add("solver." + name + ".tau=" + getInnerStepSize());
      keys.add("solver." + name + ".sigma=" + getSigma());
    } else {
      for (Param<?> p : f2baParams) {
        if (isSet(p)) {
          throw new IllegalArgumentException(p.name() + " is a parameter of " + F2ba.NAME
              + " and " + F2ba.ACCELERATED + ", not of solver " + name + ": set " + name
              + "'s own keys with solverConf (e.g. \"" + name + ".K=20\")");
        }
      }
    }
    for (String entry : getSolverConf()) {
      keys.add("solver." + entry);
    }
    try {
      return SolverSettings.fromConfig(RunConfig.load(null, keys));
    } catch (InputException e) {
      throw new IllegalArgumentException("solver " + name + ", solverConf "
          + Arrays.toString(getSolverConf()) + ": " + e.getMessage(), e);
    }
  }

  private String batch() {
    return getBatchSize() == 0 ? "full" : String.valueOf(getBatchSize());
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  public E setFeaturesCol(String value) {
    set(featuresCol, value);
    return self();
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public String getLabelCol() {
    return getOrDefault(labelCol);
  }

  public E setLabelCol(String value) {
    set(labelCol, value);
    return self();
  }

  public Param<String> validationIndicatorCol() {
    return validationIndicatorCol;
  }

  public String getValidationIndicatorCol() {
    return getOrDefault(validationIndicatorCol);
  }

  /** Whether validationIndicatorCol chooses the validation rows (else trainRatio does). */
  public boolean hasValidationIndicatorCol() {
    return isSet(validationIndicatorCol);
  }

  public E setValidationIndicatorCol(String value) {
    set(validationIndicatorCol, value);
    return self();
  }

  public DoubleParam trainRatio() {
    return trainRatio;
  }

  public double getTrainRatio() {
    return (Double) getOrDefault(trainRatio);
  }

  public E setTrainRatio(double value) {
    set(trainRatio, value);
    return self();
  }

  public LongParam seed() {
    return seed;
  }

  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  public E setSeed(long value) {
    set(seed, value);
    return self();
  }

  public BooleanParam standardization() {
    return standardization;
  }

  public boolean getStandardization() {
    return (Boolean) getOrDefault(standardization);
  }

  public E setStandardization(boolean value) {
    set(standardization, value);
    return self();
  }

  public Param<String> solver() {
    return solver;
  }

  public String getSolver() {
    return getOrDefault(solver);
  }

  public E setSolver(String value) {
    set(solver, value);
    return self();
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public int getMaxIter() {
    return (Integer) getOrDefault(maxIter);
  }

  public E setMaxIter(int value) {
    set(maxIter, value);
    return self();
  }

  public DoubleParam tol() {
    return tol;
  }

  public double getTol() {
    return (Double) getOrDefault(tol);
  }

  public E setTol(double value) {
    set(tol, value);
    return self();
  }

  public IntParam innerIter() {
    return innerIter;
  }

  public int getInnerIter() {
    return (Integer) getOrDefault(innerIter);
  }

  public E setInnerIter(int value) {
    set(innerIter, value);
    return self();
  }

  public DoubleParam stepSize() {
    return stepSize;
  }

  public double getStepSize() {
    return (Double) getOrDefault(stepSize);
  }

  public E setStepSize(double value) {
    set(stepSize, value);
    return self();
  }

  public DoubleParam innerStepSize() {
    return innerStepSize;
  }

  public double getInnerStepSize() {
    return (Double) getOrDefault(innerStepSize);
  }

  public E setInnerStepSize(double value) {
    set(innerStepSize, value);
    return self();
  }

  public DoubleParam sigma() {
    return sigma;
  }

  public double getSigma() {
    return (Double) getOrDefault(sigma);
  }

  public E setSigma(double value) {
    set(sigma, value);
    return self();
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public E setBatchSize(int value) {
    set(batchSize, value);
    return self();
  }

  public IntParam numPartitions() {
    return numPartitions;
  }

  public int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions);
  }

  public E setNumPartitions(int value) {
    set(numPartitions, value);
    return self();
  }

  public StringArrayParam solverConf() {
    return solverConf;
  }

  public String[] getSolverConf() {
    return getOrDefault(solverConf);
  }

  public E setSolverConf(String... value) {
    set(solverConf, value);
    return self();
  }

  public IntParam checkpointInterval() {
    return checkpointInterval;
  }

  public int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval);
  }

  public E setCheckpointInterval(int value) {
    set(checkpointInterval, value);
    return self();
  }

  /**
   * The directory of this fit's checkpoints below {@code checkpointDir}: one per uid and the
   * values of the other Params, so that a fit resumes only a fit of the same estimator and
   * settings (a CrossValidator's fits, with one uid and several settings, keep theirs apart).
   */
  String checkpointDirectory(String checkpointDir) {
    StringBuilder values = new StringBuilder(uid);
    for (Param<?> p : params()) {
      if (p != checkpointInterval && isDefined(p)) {
        values.append('\n').append(p.name()).append('=').append(encoded(p));
      }
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(
          values.toString().getBytes(StandardCharsets.UTF_8));
      return checkpointDir + "/f2ba-" + uid + "-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> String encoded(Param<T> param) {
    return param.jsonEncode(getOrDefault(param));
  }
}
