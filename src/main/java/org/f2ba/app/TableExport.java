package org.f2ba.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.data.InMemoryRows;
import org.f2ba.data.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes the training and test files of a config (data.format idx or libsvm) as Parquet tables
 * in Spark ML's form, a vector column "features" and a double column "label", in the order of
 * the files: what data.format = spark-source reads, and what Spark ML's estimators take.
 */
@Command(name = "f2ba-export", mixinStandardHelpOptions = true,
    description = "Writes the training and test files that CONF's data keys name (idx or"
        + " libsvm) as Parquet tables OUT/train and OUT/test with columns features (a Spark ML"
        + " vector) and label (a double); KEY=VALUE arguments override CONF's keys.")
public final class TableExport implements Callable<Integer> {
  /** Rows a task of the export carries at most. */
  private static final int ROWS_PER_TASK = 4096;

  @Parameters(index = "0", paramLabel = "CONF", description = "HOCON config file")
  private String configFile;

  @Parameters(index = "1", paramLabel = "OUT", description = "directory to create")
  private String out;

  @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "config overrides")
  private List<String> overrides = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.err, true), args));
  }

  /** Runs the export and returns its exit code; errors go to {@code err}. */
  public static int run(PrintWriter err, String... args) {
    return F2baApp.commandLine(new TableExport(), err).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    RunConfig config = RunConfig.load(configFile, overrides);
    Path target = new Path(out);
    if (target.getFileSystem(new Configuration()).exists(target)) {
      throw new InputException(out + " exists: the export writes a new directory, and never"
          + " replaces one");
    }
    InMemoryRows[] files = Experiments.loadFiles(config, config.intAtLeast("data.num-classes",
        2));
    try (SparkConnection spark = new SparkConnection(config)) {
      JavaSparkContext jsc = new JavaSparkContext(spark.context());
      SparkSession session = SparkSession.builder().getOrCreate();
      StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
          .add("label", DataTypes.DoubleType);
      String[] names = {"train", "test"};
      for (int k = 0; k < 2; k++) {
        List<Row> rows = rows(files[k]);
        int tasks = Math.max(1, (rows.size() + ROWS_PER_TASK - 1) / ROWS_PER_TASK);
        session.createDataFrame(jsc.parallelize(rows, tasks), schema).coalesce(1).write()
            .parquet(new Path(target, names[k]).toString());
        System.out.printf("%s: %d rows of %d features from %s%n", new Path(target, names[k]),
            rows.size(), files[k].dim(), files[k].name());
      }
    }
    return 0;
  }

  private static List<Row> rows(InMemoryRows data) {
    List<Row> rows = new ArrayList<>(data.rows());
    for (int i = 0; i < data.rows(); i++) {
      rows.add(RowFactory.create(data.vector(i).compressed(), (double) data.labels()[i]));
    }
    return rows;
  }
}
