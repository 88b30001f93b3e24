package org.f2ba.ml;

import java.util.List;
import java.util.Locale;
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
import org.f2ba.problem.L2Penalty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the L2 regularization of a multinomial logistic regression by bilevel optimization
 * (Section 7.2 of the companion paper): the strengths exp(x), one for the whole model, each
 * class or each feature (granularity), minimize the validation rows' cross-entropy of the model
 * trained on the training rows with them. Where Spark ML's TrainValidationSplit fits one model
 * per point of a regParam grid, a fit here is one run of a first-order bilevel solver (F²BA by
 * default), which moves every strength at once. The model predicts like Spark ML's
 * LogisticRegressionModel, and is one ({@link RegularizationTunerModel#toLogisticRegression}).
 *
 * <p>The defaults of the solver's step sizes are those tuned for standardized image features
 * (conf/regtune-fashion-mnist.conf); other data may want others (the training summary's
 * objectiveHistory shows whether the validation loss comes down).
 */
public final class RegularizationTuner
    extends BilevelEstimator<RegularizationTunerModel, RegularizationTuner> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RegularizationTuner.class);
  private static final List<String> GRANULARITIES = List.of("scalar", "per-class",
      "per-feature");

  private final Param<String> granularity;
  private final DoubleParam initialLogStrength;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  public RegularizationTuner() {
    this(Identifiable$.MODULE$.randomUID("regTuner"));
  }

  public RegularizationTuner(String uid) {
    super(uid);
    granularity = new Param<>(this, "granularity", "how many regularization strengths are"
        + " learned: scalar (one), per-class (one a class), per-feature (one a feature and the"
        + " intercept)", ParamValidators.inArray(GRANULARITIES));
    initialLogStrength = new DoubleParam(this, "initialLogStrength", "the log of every"
        + " strength at the start (a strong start, where the training problem is well"
        + " conditioned, suits the solver)");
    predictionCol = SharedParams.predictionCol(this);
    probabilityCol = SharedParams.probabilityCol(this);
    rawPredictionCol = SharedParams.rawPredictionCol(this);
    setDefault(granularity, "per-class");
    setDefault(initialLogStrength, -2.0);
    setDefault(innerIter(), 30);
    setDefault(stepSize(), 100.0);
    setDefault(innerStepSize(), 0.075);
    setDefault(sigma(), 0.1);
  }

  @Override
  public RegularizationTunerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    L2Penalty.Granularity g = L2Penalty.Granularity.valueOf(getGranularity()
        .toUpperCase(Locale.ROOT).replace('-', '_'));
    double start = getInitialLogStrength();
    DatasetRun.Result result = DatasetRun.fit(this, dataset, (data, numClasses, y0) ->
        Experiments.regularizationTuning(data, Classifier.linear(numClasses), g, start, y0,
            null), LOG);
    RegularizationTunerModel model = new RegularizationTunerModel(uid(), result.model(),
        result.numClasses(), result.numFeatures(), result.x(), getGranularity());
    model.setSummary(result.summary());
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    validateInput(schema);
    return RegularizationTunerModel.outputSchema(schema, getPredictionCol(),
        getProbabilityCol(), getRawPredictionCol());
  }

  @Override
  public RegularizationTuner copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<RegularizationTuner> read() {
    return new DefaultParamsReader<>();
  }

  public static RegularizationTuner load(String path) {
    return read().load(path);
  }

  public Param<String> granularity() {
    return granularity;
  }

  public String getGranularity() {
    return getOrDefault(granularity);
  }

  public RegularizationTuner setGranularity(String value) {
    set(granularity, value);
    return this;
  }

  public DoubleParam initialLogStrength() {
    return initialLogStrength;
  }

  public double getInitialLogStrength() {
    return (Double) getOrDefault(initialLogStrength);
  }

  public RegularizationTuner setInitialLogStrength(double value) {
    set(initialLogStrength, value);
    return this;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public RegularizationTuner setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public String getProbabilityCol() {
    return getOrDefault(probabilityCol);
  }

  public RegularizationTuner setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  public String getRawPredictionCol() {
    return getOrDefault(rawPredictionCol);
  }

  public RegularizationTuner setRawPredictionCol(String value) {
    set(rawPredictionCol, value);
    return this;
  }
}
