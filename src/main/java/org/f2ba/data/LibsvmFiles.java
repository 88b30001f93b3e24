package org.f2ba.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Labeled samples from LIBSVM text ("label index:value …", indices from 1 and increasing; blank
 * lines and lines starting with # skipped), gathered as compressed sparse rows and kept so when
 * they are sparse enough ({@link DataBlock#sparseFor}), else made dense. The name may be a file, a
 * directory of part files or a glob, on any Hadoop-supported file system, raw or gzipped.
 * Labels, less {@code labelOffset}, must be class indices in [0, numClasses), or where
 * numClasses is 0 (regression) finite real values, taken as they are. Every error names the file
 * and line.
 */
public final class LibsvmFiles {
  private LibsvmFiles() {
  }

  public static InMemoryRows load(String name, int numFeatures, int numClasses,
      int labelOffset) {
    Samples samples = new Samples();
    for (Path file : DataFiles.expand(name)) {
      String where = where(name, file);
      try (BufferedReader reader = reader(file, new Configuration())) {
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lineNumber++;
          String text = line.trim();
          String problem = holdsRow(text)
              ? parse(text, samples, numFeatures, numClasses, labelOffset) : null;
          if (problem != null) {
            throw new InputException(where + ": line " + lineNumber + ": " + problem);
          }
        }
      } catch (IOException e) {
        throw new InputException(where + ": cannot read (" + e.getMessage() + ")", e);
      }
    }
    SparseLabeledData data = new SparseLabeledData(name, numFeatures, numClasses,
        Arrays.copyOf(samples.rowStarts, samples.rows + 1),
        Arrays.copyOf(samples.columns, samples.stored), Arrays.copyOf(samples.values,
            samples.stored), Arrays.copyOf(samples.labels, samples.rows));
    return DataBlock.sparseFor(data.nonZeros(), data.rows(), numFeatures) ? data : data.dense();
  }

  /**
   * The same rows as {@link #load}, read by the executors: a raw file in Hadoop's input splits
   * (line by line, as {@code TextInputFormat} cuts it), a gzipped one, which cannot be split, by
   * one task; here only the files' names. The lines are checked in one job, and an error names
   * the file and line as {@link #load} does; a lost cached block is read again from the files.
   */
  public static TableRows read(JavaSparkContext jsc, String name, int numFeatures,
      int numClasses, int labelOffset) {
    Configuration conf = jsc.hadoopConfiguration();
    SerializableWritable<Configuration> shipped = new SerializableWritable<>(conf);
    List<JavaRDD<String>> parts = new ArrayList<>();
    List<String> fileOfPartition = new ArrayList<>();
    for (Path file : DataFiles.expand(name)) {
      String where = where(name, file);
      JavaRDD<String> lines;
      try {
        String path = file.toString();
        lines = DataFiles.gzipped(file, conf)
            ? jsc.parallelize(List.of(path), 1).mapPartitions(it -> lines(it.next(), shipped))
            : jsc.hadoopFile(path, TextInputFormat.class, LongWritable.class, Text.class)
                .map(line -> line._2().toString());
      } catch (IOException e) {
        throw new InputException(where + ": cannot read (" + e.getMessage() + ")", e);
      }
      parts.add(lines);
      for (int p = 0; p < lines.getNumPartitions(); p++) {
        fileOfPartition.add(where);
      }
    }
    @SuppressWarnings("unchecked")
    JavaRDD<String> lines = jsc.union(parts.toArray(JavaRDD[]::new));
    List<LineCheck> checks = lines.mapPartitions(it -> List.of(LineCheck.of(it, numFeatures,
        numClasses, labelOffset)).iterator(), true).collect();
    long[] starts = new long[checks.size() + 1];
    long nonZeros = 0;
    long linesBefore = 0;
    for (int p = 0; p < checks.size(); p++) {
      LineCheck check = checks.get(p);
      if (p > 0 && !fileOfPartition.get(p).equals(fileOfPartition.get(p - 1))) {
        linesBefore = 0;
      }
      if (check.problem() != null) {
        throw new InputException(fileOfPartition.get(p) + ": line "
            + (linesBefore + check.badLine() + 1) + ": " + check.problem());
      }
      linesBefore += check.lines();
      starts[p + 1] = starts[p] + check.rows();
      nonZeros += check.nonZeros();
    }
    JavaRDD<Row> rows = lines.mapPartitions(it -> rows(it, numFeatures, numClasses,
        labelOffset), true);
    return TableRows.of(name, rows, starts, numFeatures, numClasses, nonZeros);
  }

  /** How an error names a file of {@code name}: by {@code name} if it is the file itself. */
  private static String where(String name, Path file) {
    return file.toUri().getPath().equals(new Path(name).toUri().getPath()) ? name
        : file.toString();
  }

  private static BufferedReader reader(Path file, Configuration conf) throws IOException {
    return new BufferedReader(new InputStreamReader(DataFiles.open(file, conf),
        StandardCharsets.UTF_8));
  }

  /** The lines of a file, read as they are asked for, closed when the task ends. */
  private static Iterator<String> lines(String file, SerializableWritable<Configuration> conf)
      throws IOException {
    BufferedReader reader = reader(new Path(file), conf.value());
    DataFiles.closeWithTask(reader);
    return reader.lines().iterator();
  }

  /** The rows of a partition's lines, checked already. */
  private static Iterator<Row> rows(Iterator<String> lines, int numFeatures, int numClasses,
      int labelOffset) {
    return new Iterator<>() {
      private String next = advance();

      private String advance() {
        while (lines.hasNext()) {
          String text = lines.next().trim();
          if (holdsRow(text)) {
            return text;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Samples row = new Samples();
        if (parse(next, row, numFeatures, numClasses, labelOffset) != null) {
          throw new IllegalStateException("a LIBSVM line that was well formed when the files were"
              + " checked is not: did the files change during the run?");
        }
        next = advance();
        return RowFactory.create(Vectors.sparse(numFeatures,
            Arrays.copyOf(row.columns, row.stored), Arrays.copyOf(row.values, row.stored)),
            row.labels[0]);
      }
    };
  }

  /**
   * A partition's lines counted and checked: the rows among them and their non-zeros, and the
   * first problem, at its line in the partition.
   */
  private record LineCheck(long lines, long rows, long nonZeros, long badLine, String problem)
      implements Serializable {
    static LineCheck of(Iterator<String> lines, int numFeatures, int numClasses,
        int labelOffset) {
      long count = 0;
      long rows = 0;
      long nonZeros = 0;
      while (lines.hasNext()) {
        String text = lines.next().trim();
        if (holdsRow(text)) {
          Samples row = new Samples();
          String problem = parse(text, row, numFeatures, numClasses, labelOffset);
          if (problem != null) {
            return new LineCheck(count, rows, nonZeros, count, problem);
          }
          rows++;
          nonZeros += row.stored;
        }
        count++;
      }
      return new LineCheck(count, rows, nonZeros, -1, null);
    }
  }

  /**
   * Parses one line (not blank, not a comment) into {@code row}: null, or what is wrong with it.
   */
  private static String parse(String text, RowSink row, int numFeatures, int numClasses,
      int labelOffset) {
    String[] tokens = text.split("\\s+");
    double label;
    try {
      label = Double.parseDouble(tokens[0]);
    } catch (NumberFormatException e) {
      return "label '" + tokens[0] + "' is not a number";
    }
    if (numClasses == 0) {
      String problem = Rows.labelProblem(label, 0);
      if (problem != null) {
        return "label " + tokens[0] + " " + problem;
      }
      row.startRow(label);
    } else {
      double shifted = label - labelOffset;
      if (Rows.labelProblem(shifted, numClasses) != null) {
        return "label " + tokens[0] + " is not a class: with data.libsvm.label-offset "
            + labelOffset + " labels must be integers in [" + labelOffset + ", "
            + (labelOffset + numClasses - 1) + "]";
      }
      row.startRow(shifted);
    }
    int previous = 0;
    for (int k = 1; k < tokens.length; k++) {
      int colon = tokens[k].indexOf(':');
      if (colon < 0) {
        return "'" + tokens[k] + "' is not index:value";
      }
      int index;
      try {
        index = Integer.parseInt(tokens[k].substring(0, colon));
      } catch (NumberFormatException e) {
        return "'" + tokens[k] + "' has no integer index";
      }
      if (index < 1 || index > numFeatures) {
        return "feature index " + index + " is outside 1.." + numFeatures
            + " (data.libsvm.num-features)";
      }
      if (index <= previous) {
        return "feature index " + index + " does not follow " + previous
            + ": indices must increase";
      }
      previous = index;
      String what = "the value of feature " + index;
      String token = tokens[k].substring(colon + 1);
      double value;
      try {
        value = Double.parseDouble(token);
      } catch (NumberFormatException e) {
        return what + " '" + token + "' is not a number";
      }
      if (!Double.isFinite(value)) {
        return what + " is " + value + " (features must be finite)";
      }
      row.add(index - 1, value);
    }
    return null;
  }

  /** Whether a line holds a row: it is not blank and not a comment. */
  private static boolean holdsRow(String text) {
    return !text.isEmpty() && !text.startsWith("#");
  }

  /** Where parsed rows go: a row's label, then its features in increasing order. */
  private interface RowSink {
    void startRow(double label);

    void add(int column, double value);
  }

  /** Rows gathered so far, as compressed sparse rows in arrays that grow. */
  private static final class Samples implements RowSink {
    private int[] rowStarts = new int[17];
    private double[] labels = new double[16];
    private int[] columns = new int[16];
    private double[] values = new double[16];
    private int rows;
    private int stored;

    @Override
    public void startRow(double label) {
      if (rows == labels.length) {
        labels = Arrays.copyOf(labels, rows * 2);
        rowStarts = Arrays.copyOf(rowStarts, rows * 2 + 1);
      }
      labels[rows++] = label;
      rowStarts[rows] = stored;
    }

    @Override
    public void add(int column, double value) {
      if (stored == columns.length) {
        columns = Arrays.copyOf(columns, stored * 2);
        values = Arrays.copyOf(values, stored * 2);
      }
      columns[stored] = column;
      values[stored++] = value;
      rowStarts[rows] = stored;
    }
  }
}
