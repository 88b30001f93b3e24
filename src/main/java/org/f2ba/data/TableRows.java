package org.f2ba.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Rows that the executors read: those of a Spark data source (Parquet, ORC, JSON, Spark's libsvm
 * reader, any format {@code spark.read().format(...)} knows), with the features in a Spark ML
 * vector column and the class in a numeric label column, the form Spark ML's own estimators take;
 * or those of idx and LIBSVM files that this project's readers read on the executors ({@link
 * ImageFiles#read}, {@link LibsvmFiles#read}). The executors read the rows and make the blocks
 * (see {@link #blocks}); the driver holds no features, only counts, statistics and, when asked,
 * labels. Rows are numbered in the order the source reads them: for a Spark data source, fixed
 * for given files and Spark settings (file splitting depends on
 * spark.sql.files.maxPartitionBytes and the default parallelism); for files, their order.
 *
 * <p>A TableRows is a range of one table's rows (the training and validation sets are two
 * ranges of one table), with the label noise and feature scaling applied as its blocks are made.
 */
public final class TableRows implements InputRows {
  private final String name;
  /** The table's rows (features, label), read by the executors. */
  private final JavaRDD<Row> source;
  private final Table table;
  private final Conversion conversion;

  private TableRows(String name, JavaRDD<Row> source, Table table, Conversion conversion) {
    this.name = name;
    this.source = source;
    this.table = table;
    this.conversion = conversion;
  }

  /**
   * The table at {@code path} that the Spark data source {@code format} reads with {@code
   * options}, checked in one
   * job that counts each partition's rows: every row must have a vector of the same size in
   * {@code featuresCol}, finite, and a label in {@code labelCol} that is a class in [0,
   * numClasses), or where numClasses is 0 (regression) a finite number.
   */
  public static TableRows read(SparkSession spark, String format, Map<String, String> options,
      String path, String featuresCol, String labelCol, int numClasses) {
    Dataset<Row> frame;
    try {
      frame = spark.read().format(format).options(options).load(path);
    } catch (Exception e) { // Spark's AnalysisException is checked, and Scala never declares it
      throw new InputException(path + ": Spark's " + format + " source cannot read it ("
          + firstLine(e.getMessage()) + ")", e);
    }
    checkColumns(path, frame.schema(), featuresCol, labelCol);
    return of(path, frame.select(featuresCol, labelCol).javaRDD(), featuresCol, labelCol,
        numClasses);
  }

  /**
   * The rows of {@code rows}, whose first two fields are the features and the label, taken
   * from the columns {@code featuresCol} (Spark ML vectors) and {@code labelCol} (numbers) of a
   * table, which messages name (any further fields are not read); checked as {@link #read}
   * checks a table's. The RDD must give the same rows in the same partitions and order at every
   * job.
   */
  public static TableRows of(String name, JavaRDD<Row> rows, String featuresCol,
      String labelCol, int numClasses) {
    List<PartitionCheck> checks = rows.mapPartitionsWithIndex((p, it) -> List.of(
        PartitionCheck.of(it, numClasses, featuresCol, labelCol)).iterator(), true).collect();
    long[] starts = new long[checks.size() + 1];
    long nonZeros = 0;
    int dim = -1;
    long dimRow = 0;
    for (int p = 0; p < checks.size(); p++) {
      PartitionCheck check = checks.get(p);
      if (check.problem() != null) {
        throw new InputException(name + ": row " + (starts[p] + check.badRow()) + ": "
            + check.problem());
      }
      if (check.rows() > 0 && dim < 0) {
        dim = check.size();
        dimRow = starts[p];
      } else if (check.rows() > 0 && check.size() != dim) {
        throw new InputException(name + ": row " + starts[p] + " has " + check.size()
            + " features in column '" + featuresCol + "' but row " + dimRow + " has " + dim);
      }
      starts[p + 1] = starts[p] + check.rows();
      nonZeros += check.nonZeros();
    }
    return of(name, rows, starts, dim, numClasses, nonZeros);
  }

  /**
   * The rows of {@code source}, checked already: partition p holds rows [starts[p], starts[p +
   * 1]), each a Spark ML vector of {@code dim} features (of {@code nonZeros} non-zeros in all)
   * and a class.
   */
  static TableRows of(String name, JavaRDD<Row> source, long[] starts, int dim, int numClasses,
      long nonZeros) {
    long total = starts[starts.length - 1];
    if (total == 0) {
      throw new InputException(name + ": the dataset is empty");
    }
    if (total > Integer.MAX_VALUE) {
      throw new InputException(name + ": " + total + " rows, more than the "
          + Integer.MAX_VALUE + " one dataset may have");
    }
    return new TableRows(name, source, new Table(starts, dim, numClasses,
        DataBlock.sparseFor(nonZeros, total, dim)), new Conversion(0, (int) total, 0, 0, null));
  }

  private static void checkColumns(String path, StructType schema, String featuresCol,
      String labelCol) {
    List<String> columns = Arrays.asList(schema.fieldNames());
    for (String column : List.of(featuresCol, labelCol)) {
      if (!columns.contains(column)) {
        throw new InputException(path + ": no column '" + column + "' (its columns: "
            + String.join(", ", columns) + ")");
      }
    }
    DataType features = schema.apply(featuresCol).dataType();
    if (!features.equals(SQLDataTypes.VectorType())) {
      throw new InputException(path + ": column '" + featuresCol + "' holds "
          + features.simpleString() + ", not Spark ML vectors (org.apache.spark.ml.linalg;"
          + " assemble columns with VectorAssembler, convert mllib vectors with"
          + " MLUtils.convertVectorColumnsToML)");
    }
    DataType label = schema.apply(labelCol).dataType();
    if (!(label instanceof NumericType)) {
      throw new InputException(path + ": column '" + labelCol + "' holds "
          + label.simpleString() + ", not numbers (class indices 0, 1, ... or real values)");
    }
  }

  @Override
  public TableRows slice(String newName, int from, int to) {
    InputRows.checkRange(name, from, to, rows());
    Conversion c = conversion;
    return new TableRows(newName, source, table, new Conversion(c.from + from, c.from + to,
        c.labelNoise, c.seed, c.scaler));
  }

  @Override
  public TableRows withLabelNoise(double p, long seed) {
    Conversion c = conversion;
    return new TableRows(name, source, table, new Conversion(c.from, c.to, p, seed,
        c.scaler));
  }

  @Override
  public TableRows scaled(FeatureScaler scaler) {
    if (table.sparse && scaler.centers()) {
      throw new IllegalArgumentException(name + ": centering would make the sparse rows dense");
    }
    Conversion c = conversion;
    return new TableRows(name, source, table, new Conversion(c.from, c.to, c.labelNoise,
        c.seed, scaler));
  }

  /**
   * The statistics of these rows' features as read, in one job: each partition's, merged (the
   * same however the source cuts the rows into partitions).
   */
  @Override
  public FeatureStatistics statistics() {
    Table t = table;
    Conversion c = conversion;
    List<FeatureStatistics> parts = source.mapPartitionsWithIndex((p, it) -> {
      FeatureStatistics part = new FeatureStatistics(t.dim);
      c.forEachRow(t, p, it, (row, r) -> {
        if (features(row) instanceof SparseVector v) {
          part.addSparse(v.indices(), v.values(), 0, v.indices().length);
        } else {
          part.add(features(row).toArray(), 0);
        }
      });
      return List.of(part).iterator();
    }, true).collect();
    FeatureStatistics total = new FeatureStatistics(t.dim);
    parts.forEach(total::merge);
    return total;
  }

  /** The label of every row (after the label noise), in one job. */
  @Override
  public double[] labels() {
    Table t = table;
    Conversion c = conversion;
    List<double[]> parts = source.mapPartitionsWithIndex((p, it) -> {
      double[] labels = new double[c.rowsIn(t, p)];
      int[] next = {0};
      c.forEachRow(t, p, it, (row, r) -> labels[next[0]++] = c.label(t, row, r));
      return List.of(labels).iterator();
    }, true).collect();
    double[] labels = new double[rows()];
    int at = 0;
    for (double[] part : parts) {
      System.arraycopy(part, 0, labels, at, part.length);
      at += part.length;
    }
    return labels;
  }

  /**
   * The rows as float32 blocks with the bias column appended, sparse if the table is ({@link
   * #sparse}), made by the executors that
   * read them, each of at most {@code maxRows} rows of one source partition, never running across
   * a row number of {@code cuts} (row numbers of this dataset, ascending): every block lies in
   * one of the ranges the cuts make. Block indices are row numbers of this dataset.
   */
  public JavaRDD<DataBlock> blocks(int[] cuts, int maxRows) {
    Table t = table;
    Conversion c = conversion;
    return source.mapPartitionsWithIndex((p, it) -> c.blocks(t, p, it, cuts, maxRows), true);
  }

  @Override
  public boolean sparse() {
    return table.sparse;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int rows() {
    return conversion.to - conversion.from;
  }

  @Override
  public int dim() {
    return table.dim;
  }

  @Override
  public int numClasses() {
    return table.numClasses;
  }

  private static Vector features(Row row) {
    return (Vector) row.get(0);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "no message";
    }
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  /**
   * What the executors need to know of a table: the row number each partition starts at (and,
   * last, the total), the feature count, the classes, and whether blocks are made sparse.
   */
  private record Table(long[] starts, int dim, int numClasses, boolean sparse)
      implements Serializable {
  }

  /**
   * A partition's rows counted and checked, with the features' non-zeros: the first problem, at
   * its row in the partition.
   */
  private record PartitionCheck(long rows, int size, long nonZeros, long badRow, String problem)
      implements Serializable {
    static PartitionCheck of(Iterator<Row> it, int numClasses, String featuresCol,
        String labelCol) {
      long count = 0;
      long nonZeros = 0;
      int size = -1;
      while (it.hasNext()) {
        Row row = it.next();
        String problem = problem(row, numClasses, size, featuresCol, labelCol);
        if (problem != null) {
          return new PartitionCheck(count, size, nonZeros, count, problem);
        }
        if (size < 0) {
          size = features(row).size();
        }
        nonZeros += features(row).numNonzeros();
        count++;
      }
      return new PartitionCheck(count, size, nonZeros, -1, null);
    }

    private static String problem(Row row, int numClasses, int size, String featuresCol,
        String labelCol) {
      if (row.isNullAt(0)) {
        return "column '" + featuresCol + "' is null";
      }
      if (row.isNullAt(1)) {
        return "column '" + labelCol + "' is null";
      }
      Vector v = features(row);
      if (size >= 0 && v.size() != size) {
        return "it has " + v.size() + " features in column '" + featuresCol
            + "', the rows before it " + size;
      }
      double[] values = v instanceof SparseVector s ? s.values() : ((DenseVector) v).values();
      for (int k = 0; k < values.length; k++) {
        if (!Double.isFinite(values[k])) {
          int feature = v instanceof SparseVector s ? s.indices()[k] : k;
          return "feature " + feature + " in column '" + featuresCol + "' is " + values[k]
              + " (features must be finite)";
        }
      }
      double label = ((Number) row.get(1)).doubleValue();
      String problem = Rows.labelProblem(label, numClasses);
      return problem == null ? null
          : "label " + label + " in column '" + labelCol + "' " + problem;
    }
  }

  /** Which rows of a table a dataset takes, and how they become block rows. */
  private record Conversion(int from, int to, double labelNoise, long seed, FeatureScaler scaler)
      implements Serializable {

    /** How many of partition p's rows are in [from, to). */
    int rowsIn(Table t, int p) {
      return (int) Math.max(0, Math.min(to, t.starts[p + 1]) - Math.max(from, t.starts[p]));
    }

    /** Runs {@code action} on each row of partition p in [from, to), with its row number r. */
    void forEachRow(Table t, int p, Iterator<Row> it, RowAction action) {
      long g = t.starts[p];
      while (g < to && it.hasNext()) {
        Row row = it.next();
        if (g >= from) {
          action.accept(row, (int) (g - from));
        }
        g++;
      }
    }

    double label(Table t, Row row, int r) {
      double label = ((Number) row.get(1)).doubleValue();
      return labelNoise > 0 ? LabelNoise.corrupt((int) label, r, t.numClasses, labelNoise, seed)
          : label;
    }

    /** Partition p's rows in [from, to) as blocks, made as the iterator is read. */
    Iterator<DataBlock> blocks(Table t, int p, Iterator<Row> it, int[] cuts, int maxRows) {
      if (rowsIn(t, p) == 0) {
        return Collections.emptyIterator();
      }
      long g = Math.max(t.starts[p], from);
      for (long skip = g - t.starts[p]; skip > 0 && it.hasNext(); skip--) {
        it.next();
      }
      int first = (int) (g - from);
      int end = first + rowsIn(t, p);
      return new Iterator<>() {
        private int next = first;

        @Override
        public boolean hasNext() {
          return next < end;
        }

        @Override
        public DataBlock next() {
          if (next >= end) {
            throw new NoSuchElementException();
          }
          int cut = Arrays.binarySearch(cuts, next + 1);
          int limit = cut >= 0 ? cuts[cut] : -cut - 1 < cuts.length ? cuts[-cut - 1] : end;
          int rows = Math.min(Math.min(end, limit), next + maxRows) - next;
          DataBlock block = block(t, it, next, rows);
          next += rows;
          return block;
        }
      };
    }

    /** The next {@code rows} rows of {@code it}, rows number r0, r0 + 1, ... */
    private DataBlock block(Table t, Iterator<Row> it, int r0, int rows) {
      DataBlock.Builder builder = new DataBlock.Builder(t.dim + 1, t.sparse, rows);
      for (int k = 0; k < rows; k++) {
        if (!it.hasNext()) { // which also readies the next row, as Spark's iterators need
          throw new IllegalStateException("the table has fewer rows than it had when counted:"
              + " did its files change during the run?");
        }
        Row row = it.next();
        if (t.sparse && features(row) instanceof SparseVector v) {
          for (int n = 0; n < v.indices().length; n++) {
            builder.add(v.indices()[n], scaled(v.values()[n], v.indices()[n]));
          }
        } else { // every feature, as centering changes zeros too
          double[] x = features(row).toArray();
          for (int j = 0; j < t.dim; j++) {
            builder.add(j, scaled(x[j], j));
          }
        }
        builder.endRow(label(t, row, r0 + k), r0 + k);
      }
      return builder.build();
    }

    private float scaled(double value, int j) {
      return (float) (scaler == null ? value : scaler.apply(value, j));
    }
  }

  /** What {@link Conversion#forEachRow} does with a row. */
  private interface RowAction {
    void accept(Row row, int r);
  }
}
