package org.f2ba.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Labeled samples from LIBSVM text ("label index:value …", indices from 1 and increasing; blank
 * lines and lines starting with # skipped), gathered as compressed sparse rows and kept so when
 * they are sparse enough ({@link DataBlock#sparseFor}), else made dense. The name may be a file, a
 * directory of part files or a glob, on any Hadoop-supported file system, raw or gzipped.
 * Labels, less {@code labelOffset}, must be class indices in [0, numClasses). Every error names
 * the file and line.
 */
public final class LibsvmFiles {
  private LibsvmFiles() {
  }

  public static InMemoryRows load(String name, int numFeatures, int numClasses,
      int labelOffset) {
    Samples samples = new Samples(numFeatures);
    for (Path file : DataFiles.expand(name)) {
      String where = file.toUri().getPath().equals(new Path(name).toUri().getPath()) ? name
          : file.toString();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(
          DataFiles.open(file), StandardCharsets.UTF_8))) {
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lineNumber++;
          String text = line.trim();
          if (!text.isEmpty() && !text.startsWith("#")) {
            String at = where + ": line " + lineNumber + ": ";
            parse(text, at, samples, numClasses, labelOffset);
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

  private static void parse(String text, String at, Samples samples, int numClasses,
      int labelOffset) {
    String[] tokens = text.split("\\s+");
    double label = number(tokens[0], at, "label");
    double shifted = label - labelOffset;
    if (shifted != Math.rint(shifted) || shifted < 0 || shifted >= numClasses) {
      throw new InputException(at + "label " + tokens[0] + " is not a class: with"
          + " data.libsvm.label-offset " + labelOffset + " labels must be integers in ["
          + labelOffset + ", " + (labelOffset + numClasses - 1) + "]");
    }
    samples.startRow((int) shifted);
    int previous = 0;
    for (int k = 1; k < tokens.length; k++) {
      int colon = tokens[k].indexOf(':');
      if (colon < 0) {
        throw new InputException(at + "'" + tokens[k] + "' is not index:value");
      }
      int index;
      try {
        index = Integer.parseInt(tokens[k].substring(0, colon));
      } catch (NumberFormatException e) {
        throw new InputException(at + "'" + tokens[k] + "' has no integer index");
      }
      if (index < 1 || index > samples.numFeatures) {
        throw new InputException(at + "feature index " + index + " is outside 1.."
            + samples.numFeatures + " (data.libsvm.num-features)");
      }
      if (index <= previous) {
        throw new InputException(at + "feature index " + index + " does not follow "
            + previous + ": indices must increase");
      }
      previous = index;
      String what = "the value of feature " + index;
      double value = number(tokens[k].substring(colon + 1), at, what);
      if (!Double.isFinite(value)) {
        throw new InputException(at + what + " is " + value + " (features must be finite)");
      }
      samples.add(index - 1, value);
    }
  }

  private static double number(String token, String at, String what) {
    try {
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw new InputException(at + what + " '" + token + "' is not a number");
    }
  }

  /** Rows gathered so far, as compressed sparse rows in arrays that grow. */
  private static final class Samples {
    private final int numFeatures;
    private int[] rowStarts = new int[17];
    private int[] labels = new int[16];
    private int[] columns = new int[16];
    private double[] values = new double[16];
    private int rows;
    private int stored;

    Samples(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    /** Starts a row of {@code label}; its features follow. */
    void startRow(int label) {
      if (rows == labels.length) {
        labels = Arrays.copyOf(labels, rows * 2);
        rowStarts = Arrays.copyOf(rowStarts, rows * 2 + 1);
      }
      labels[rows++] = label;
      rowStarts[rows] = stored;
    }

    /** Feature {@code column} (from 0) of the last row started. */
    void add(int column, double value) {
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
