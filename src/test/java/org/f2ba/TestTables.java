package org.f2ba;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.data.InMemoryRows;
import org.f2ba.data.LabeledData;
import org.f2ba.data.SparseLabeledData;

/** Parquet tables in Spark ML's form (a vector column "features", a double "label"). */
public final class TestTables {
  private TestTables() {
  }

  public static SparkSession session() {
    SparkTestContext.get();
    return SparkSession.builder().getOrCreate();
  }

  /**
   * Writes {@code data} as {@code files} Parquet files under {@code dir}, every other row's
   * features as a sparse vector; returns the directory.
   */
  public static String write(InMemoryRows data, Path dir, int files) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < data.rows(); i++) {
      Vector v = i % 2 == 0 ? data.vector(i).toDense() : data.vector(i).toSparse();
      rows.add(RowFactory.create(v, (double) data.labels()[i]));
    }
    return write(rows, new StructType()
        .add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType), dir, files);
  }

  /** Writes {@code rows} of {@code schema} as {@code files} Parquet files under {@code dir}. */
  public static String write(List<Row> rows, StructType schema, Path dir, int files) {
    SparkSession spark = session();
    spark.createDataFrame(SparkTestContext.get().parallelize(rows, files), schema)
        .write().parquet(dir.toString());
    return dir.toString();
  }

  /** The table as the Parquet source reads it, in its order, held in memory sparse. */
  public static SparseLabeledData readSparse(String path, String name, int numClasses) {
    List<Row> rows = session().read().parquet(path).select("features", "label")
        .collectAsList();
    int[] starts = new int[rows.size() + 1];
    List<SparseVector> vectors = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      vectors.add(((Vector) rows.get(i).get(0)).toSparse());
      starts[i + 1] = starts[i] + vectors.get(i).indices().length;
    }
    int[] columns = new int[starts[rows.size()]];
    double[] values = new double[columns.length];
    double[] labels = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      SparseVector v = vectors.get(i);
      System.arraycopy(v.indices(), 0, columns, starts[i], v.indices().length);
      System.arraycopy(v.values(), 0, values, starts[i], v.values().length);
      labels[i] = rows.get(i).getDouble(1);
    }
    return new SparseLabeledData(name, vectors.get(0).size(), numClasses, starts, columns,
        values, labels);
  }

  /** The table as the Parquet source reads it, in its order, held in memory. */
  public static LabeledData read(String path, String name, int numClasses) {
    List<Row> rows = session().read().parquet(path).select("features", "label")
        .collectAsList();
    Vector first = (Vector) rows.get(0).get(0);
    int d = first.size();
    double[] features = new double[rows.size() * d];
    double[] labels = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(((Vector) rows.get(i).get(0)).toArray(), 0, features, i * d, d);
      labels[i] = rows.get(i).getDouble(1);
    }
    return new LabeledData(name, d, numClasses, features, labels);
  }
}
