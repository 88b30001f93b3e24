package org.f2ba.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.f2ba.app.Experiments;
import org.f2ba.problem.Classifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns a weight in [0, 1] for every training row whose label may be wrong, by bilevel
 * optimization (data hyper-cleaning, Section 7.1 of the F²BA paper): the weights minimize the
 * cross-entropy on the validation rows, whose labels are trusted, of the multinomial logistic
 * regression trained on the training rows with them. Its model adds the weights as a column
 * that any Spark ML estimator takes through its weightCol, so the model a user already trains
 * learns from the cleaned rows.
 *
 * <p>The defaults of the solver's step sizes are those tuned for standardized image features
 * (conf/hyperclean-fashion-mnist.conf); stepSize defaults to 0.6 a training row, as each
 * weight's gradient shrinks with the rows (3e4 at that config's 50,000).
 */
public final class DataCleaner extends BilevelEstimator<DataCleanerModel, DataCleaner> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DataCleaner.class);
  /** The default stepSize a training row. */
  private static final double STEP_SIZE_A_ROW = 0.6;

  private final DoubleParam ridge;
  private final DoubleParam initialLogit;
  private final Param<String> weightCol;

  public DataCleaner() {
    this(Identifiable$.MODULE$.randomUID("dataCleaner"));
  }

  public DataCleaner(String uid) {
    super(uid);
    ridge = new DoubleParam(this, "ridge", "fixed L2 strength of the training problem, which"
        + " makes it strongly convex (>= 0)", ParamValidators.gtEq(0));
    initialLogit = new DoubleParam(this, "initialLogit", "every row's x at the start; its"
        + " weight is 1 / (1 + exp(-x))");
    weightCol = SharedParams.weightCol(this);
    setDefault(ridge, 0.001);
    setDefault(initialLogit, 0.0);
    setDefault(innerIter(), 10);
    setDefault(stepSize(), 3e4);
    setDefault(innerStepSize(), 0.15);
    setDefault(sigma(), 0.1);
  }

  @Override
  public DataCleanerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    double lambda = getRidge();
    double start = getInitialLogit();
    DatasetRun.Result result = DatasetRun.fit(this, dataset, (data, numClasses, y0) ->
        Experiments.hyperCleaning(data, Classifier.linear(numClasses), lambda, start, y0, null),
        LOG);
    DataCleanerModel model = new DataCleanerModel(uid(), result.x());
    model.setSummary(result.summary());
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  @Override
  protected double stepSizeFor(int trainingRows) {
    return isSet(stepSize()) ? getStepSize() : STEP_SIZE_A_ROW * trainingRows;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    validateInput(schema);
    return DataCleanerModel.outputSchema(schema, getWeightCol());
  }

  @Override
  public DataCleaner copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<DataCleaner> read() {
    return new DefaultParamsReader<>();
  }

  public static DataCleaner load(String path) {
    return read().load(path);
  }

  public DoubleParam ridge() {
    return ridge;
  }

  public double getRidge() {
    return (Double) getOrDefault(ridge);
  }

  public DataCleaner setRidge(double value) {
    set(ridge, value);
    return this;
  }

  public DoubleParam initialLogit() {
    return initialLogit;
  }

  public double getInitialLogit() {
    return (Double) getOrDefault(initialLogit);
  }

  public DataCleaner setInitialLogit(double value) {
    set(initialLogit, value);
    return this;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  public String getWeightCol() {
    return getOrDefault(weightCol);
  }

  public DataCleaner setWeightCol(String value) {
    set(weightCol, value);
    return this;
  }
}
