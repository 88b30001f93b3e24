package org.f2ba.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The Params that an estimator and its model both have (a fit copies the estimator's values to
 * the model), with Spark ML's names, documentation and defaults where Spark ML has them.
 */
final class SharedParams {
  private SharedParams() {
  }

  static Param<String> featuresCol(Params owner) {
    return column(owner, "featuresCol", "features column name", "features");
  }

  static Param<String> predictionCol(Params owner) {
    return column(owner, "predictionCol", "prediction column name", "prediction");
  }

  static Param<String> probabilityCol(Params owner) {
    return column(owner, "probabilityCol", "column name for predicted class conditional"
        + " probabilities", "probability");
  }

  static Param<String> rawPredictionCol(Params owner) {
    return column(owner, "rawPredictionCol", "raw prediction (a.k.a. confidence) column name",
        "rawPrediction");
  }

  static Param<String> weightCol(Params owner) {
    return column(owner, "weightCol", "name of the column of the learned sample weights, in"
        + " [0, 1]", "weight");
  }

  static Param<String> validationIndicatorCol(Params owner) {
    return new Param<>(owner, "validationIndicatorCol", "name of the boolean column that is"
        + " true for the validation rows (the upper level's) and false for the training rows"
        + " (the lower level's); rows where it is null are in neither; unset: trainRatio"
        + " splits the rows");
  }

  static DoubleParam trainRatio(Params owner) {
    DoubleParam param = new DoubleParam(owner, "trainRatio", "share of the rows that train,"
        + " the rest validating, drawn by seed from the rows' places, where"
        + " validationIndicatorCol is unset", ParamValidators.inRange(0, 1, false, false));
    owner.setDefault(param, 0.75);
    return param;
  }

  static LongParam seed(Params owner) {
    LongParam param = new LongParam(owner, "seed", "random seed (initial model, validation"
        + " rows, mini-batches)");
    owner.setDefault(param, (long) owner.getClass().getName().hashCode());
    return param;
  }

  private static Param<String> column(Params owner, String name, String doc, String value) {
    Param<String> param = new Param<>(owner, name, doc);
    owner.setDefault(param, value);
    return param;
  }
}
