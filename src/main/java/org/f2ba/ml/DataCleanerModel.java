package org.f2ba.ml;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.LongParam;
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
import org.f2ba.problem.WeightedCrossEntropyLoss;

/**
 * The weights a {@link DataCleaner} learned for the training rows of the dataset it was fit on.
 * {@link #transform} adds them as the column weightCol to that dataset (read the same way, so
 * that its rows come in the same order and split the same way into training and validation
 * rows): a training row's learned weight, 1 for a validation row, null where the validation
 * indicator is null. It counts the training rows of each partition in one job, and refuses a
 * dataset whose training rows are not as many as the weights.
 */
public final class DataCleanerModel extends BilevelModel<DataCleanerModel> {
  private static final long serialVersionUID = 1L;
  private static final StructType DATA = new StructType()
      .add("logits", SQLDataTypes.VectorType());

  /** x: each training row's logit, in the order the rows were read. */
  private final double[] logits;
  private final Param<String> validationIndicatorCol;
  private final DoubleParam trainRatio;
  private final LongParam seed;
  private final Param<String> weightCol;

  DataCleanerModel(String uid, double[] logits) {
    super(uid);
    this.logits = logits.clone();
    validationIndicatorCol = SharedParams.validationIndicatorCol(this);
    trainRatio = SharedParams.trainRatio(this);
    seed = SharedParams.seed(this);
    weightCol = SharedParams.weightCol(this);
  }

  /** The weight of each training row, in [0, 1], in the order the rows were read. */
  public Vector weights() {
    return Vectors.dense(Arrays.stream(logits).map(WeightedCrossEntropyLoss::weight).toArray());
  }

  /** The number of training rows the weights are of. */
  public int numTrainingRows() {
    return logits.length;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    Dataset<Row> frame = dataset.toDF();
    int flagAt = frame.schema().size();
    JavaRDD<Row> rows = DatasetRun.withValidationFlag(frame,
        isSet(validationIndicatorCol) ? getOrDefault(validationIndicatorCol) : null,
        (Double) getOrDefault(trainRatio), (Long) getOrDefault(seed));
    List<Long> counts = rows.mapPartitions((Iterator<Row> it) -> {
      long n = 0;
      while (it.hasNext()) {
        n += DatasetRun.isTraining(it.next(), flagAt) ? 1 : 0;
      }
      return List.of(n).iterator();
    }).collect();
    long[] starts = new long[counts.size() + 1];
    for (int p = 0; p < counts.size(); p++) {
      starts[p + 1] = starts[p] + counts.get(p);
    }
    if (starts[counts.size()] != logits.length) {
      throw new IllegalArgumentException("the dataset has " + starts[counts.size()]
          + " training rows, the model learned weights for " + logits.length + ": transform"
          + " the dataset it was fit on, read the same way, with the same "
          + (isSet(validationIndicatorCol) ? "validationIndicatorCol" : "trainRatio and seed"));
    }
    Broadcast<double[]> shipped = JavaSparkContext.fromSparkContext(frame.sparkSession()
        .sparkContext()).broadcast(logits);
    JavaRDD<Row> weighted = rows.mapPartitionsWithIndex((p, it) -> {
      double[] x = shipped.value();
      long[] next = {starts[p]};
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Row next() {
          Row row = it.next();
          Object[] values = new Object[flagAt + 1];
          for (int i = 0; i < flagAt; i++) {
            values[i] = row.get(i);
          }
          values[flagAt] = row.isNullAt(flagAt) ? null : row.getBoolean(flagAt) ? 1.0
              : WeightedCrossEntropyLoss.weight(x[(int) next[0]++]);
          return RowFactory.create(values);
        }
      };
    }, true);
    return frame.sparkSession().createDataFrame(weighted, out);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (isSet(validationIndicatorCol)) {
      SchemaUtils.checkColumnType(schema, getOrDefault(validationIndicatorCol),
          DataTypes.BooleanType, "");
    }
    return outputSchema(schema, getWeightCol());
  }

  /** {@code schema} with the weight column appended. */
  static StructType outputSchema(StructType schema, String weightCol) {
    return SchemaUtils.appendColumn(schema, weightCol, DataTypes.DoubleType, true);
  }

  @Override
  public DataCleanerModel copy(ParamMap extra) {
    DataCleanerModel copy = copyValues(new DataCleanerModel(uid(), logits), extra);
    return copied(copy);
  }

  @Override
  public MLWriter write() {
    DataCleanerModel model = this;
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        ModelFiles.save(model, path, sparkSession(), DATA,
            RowFactory.create(Vectors.dense(logits)));
      }
    };
  }

  public static MLReader<DataCleanerModel> read() {
    return new MLReader<>() {
      @Override
      public DataCleanerModel load(String path) {
        ModelFiles.Loaded files = ModelFiles.load(path, sparkSession(), DataCleanerModel.class);
        return files.withParams(new DataCleanerModel(files.metadata().uid(),
            ((Vector) files.data().get(0)).toArray()));
      }
    };
  }

  public static DataCleanerModel load(String path) {
    return read().load(path);
  }

  public Param<String> validationIndicatorCol() {
    return validationIndicatorCol;
  }

  public DoubleParam trainRatio() {
    return trainRatio;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  public String getWeightCol() {
    return getOrDefault(weightCol);
  }

  public DataCleanerModel setWeightCol(String value) {
    set(weightCol, value);
    return this;
  }
}
