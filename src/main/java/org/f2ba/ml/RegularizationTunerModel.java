package org.f2ba.ml;

import java.util.Arrays;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.ml.util.SchemaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A multinomial logistic regression trained with learned regularization strengths: {@link
 * #transform} adds Spark ML's prediction, probability and raw prediction columns as Spark ML's
 * LogisticRegressionModel does, and {@link #toLogisticRegression} is that model.
 */
public final class RegularizationTunerModel extends BilevelModel<RegularizationTunerModel> {
  private static final long serialVersionUID = 1L;
  private static final StructType DATA = new StructType()
      .add("coefficientMatrix", SQLDataTypes.MatrixType())
      .add("interceptVector", SQLDataTypes.VectorType())
      .add("logStrengths", SQLDataTypes.VectorType())
      .add("granularity", DataTypes.StringType);

  private final Matrix coefficients;
  private final Vector intercepts;
  private final double[] logStrengths;
  private final String granularity;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> rawPredictionCol;

  /**
   * @param model column-major, numFeatures + 1 rows (the intercept last), numClasses columns
   * @param logStrengths the learned x: log of each regularization strength
   */
  RegularizationTunerModel(String uid, double[] model, int numClasses, int numFeatures,
      double[] logStrengths, String granularity) {
    this(uid, coefficientMatrix(model, numClasses, numFeatures),
        intercepts(model, numClasses, numFeatures), logStrengths, granularity);
  }

  private RegularizationTunerModel(String uid, Matrix coefficients, Vector intercepts,
      double[] logStrengths, String granularity) {
    super(uid);
    this.coefficients = coefficients;
    this.intercepts = intercepts;
    this.logStrengths = logStrengths.clone();
    this.granularity = granularity;
    featuresCol = SharedParams.featuresCol(this);
    predictionCol = SharedParams.predictionCol(this);
    probabilityCol = SharedParams.probabilityCol(this);
    rawPredictionCol = SharedParams.rawPredictionCol(this);
  }

  private static Matrix coefficientMatrix(double[] model, int numClasses, int numFeatures) {
    double[] rows = new double[numClasses * numFeatures]; // row-major: a class a row
    for (int c = 0; c < numClasses; c++) {
      System.arraycopy(model, c * (numFeatures + 1), rows, c * numFeatures, numFeatures);
    }
    return new DenseMatrix(numClasses, numFeatures, rows, true);
  }

  private static Vector intercepts(double[] model, int numClasses, int numFeatures) {
    double[] b = new double[numClasses];
    for (int c = 0; c < numClasses; c++) {
      b[c] = model[c * (numFeatures + 1) + numFeatures];
    }
    return Vectors.dense(b);
  }

  /** The model as Spark ML's multinomial logistic regression, with this model's columns. */
  public LogisticRegressionModel toLogisticRegression() {
    LogisticRegressionModel lr = new LogisticRegressionModel(uid(), coefficients, intercepts,
        coefficients.numRows(), true);
    lr.setFeaturesCol(getFeaturesCol()).setPredictionCol(getPredictionCol())
        .setProbabilityCol(getProbabilityCol()).setRawPredictionCol(getRawPredictionCol());
    return lr;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    return toLogisticRegression().transform(dataset);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaUtils.checkColumnType(schema, getFeaturesCol(), SQLDataTypes.VectorType(), "");
    return outputSchema(schema, getPredictionCol(), getProbabilityCol(),
        getRawPredictionCol());
  }

  /** {@code schema} with the columns that are not "" appended, as Spark ML's classifiers do. */
  static StructType outputSchema(StructType schema, String predictionCol, String probabilityCol,
      String rawPredictionCol) {
    StructType out = schema;
    if (!rawPredictionCol.isEmpty()) {
      out = SchemaUtils.appendColumn(out, rawPredictionCol, SQLDataTypes.VectorType(), false);
    }
    if (!probabilityCol.isEmpty()) {
      out = SchemaUtils.appendColumn(out, probabilityCol, SQLDataTypes.VectorType(), false);
    }
    if (!predictionCol.isEmpty()) {
      out = SchemaUtils.appendColumn(out, predictionCol, DataTypes.DoubleType, false);
    }
    return out;
  }

  @Override
  public RegularizationTunerModel copy(ParamMap extra) {
    RegularizationTunerModel copy = copyValues(new RegularizationTunerModel(uid(), coefficients,
        intercepts, logStrengths, granularity), extra);
    return copied(copy);
  }

  /** The classes × features coefficients, on the features as given. */
  public Matrix coefficientMatrix() {
    return coefficients;
  }

  /** The intercept of each class. */
  public Vector interceptVector() {
    return intercepts;
  }

  public int numClasses() {
    return coefficients.numRows();
  }

  public int numFeatures() {
    return coefficients.numCols();
  }

  /**
   * The learned regularization strengths exp(x), on the standardized features where the fit
   * standardized: one (scalar), one a class (per-class), or one a feature and, last, the
   * intercept (per-feature).
   */
  public Vector strengths() {
    return Vectors.dense(Arrays.stream(logStrengths).map(Math::exp).toArray());
  }

  /** The learned x: the log of each strength. */
  public Vector logStrengths() {
    return Vectors.dense(logStrengths.clone());
  }

  /** scalar, per-class or per-feature: what the strengths are of. */
  public String granularity() {
    return granularity;
  }

  @Override
  public MLWriter write() {
    RegularizationTunerModel model = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelFiles.save(model, path, sparkSession(), DATA, RowFactory.create(coefficients,
            intercepts, Vectors.dense(logStrengths), granularity));
      }
    };
  }

  public static MLReader<RegularizationTunerModel> read() {
    return new MLReader<>() {
      @Override
      public RegularizationTunerModel load(String path) {
        ModelFiles.Loaded files = ModelFiles.load(path, sparkSession(),
            RegularizationTunerModel.class);
        Row data = files.data();
        return files.withParams(new RegularizationTunerModel(files.metadata().uid(),
            (Matrix) data.get(0), (Vector) data.get(1), ((Vector) data.get(2)).toArray(),
            data.getString(3)));
      }
    };
  }

  public static RegularizationTunerModel load(String path) {
    return read().load(path);
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  public RegularizationTunerModel setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public String getPredictionCol() {
    return getOrDefault(predictionCol);
  }

  public RegularizationTunerModel setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public String getProbabilityCol() {
    return getOrDefault(probabilityCol);
  }

  public RegularizationTunerModel setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  public String getRawPredictionCol() {
    return getOrDefault(rawPredictionCol);
  }

  public RegularizationTunerModel setRawPredictionCol(String value) {
    set(rawPredictionCol, value);
    return this;
  }
}
