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
 * lines and lines starting with # skipped), gathered densely. The name may be a file, a
 * directory of part files or a glob, on any Hadoop-supported file system, raw or gzipped.
 * Labels, less {@code labelOffset}, must be class indices in [0, numClasses). Every error names
 * the file and line.
 */
public final class LibsvmFiles {
  private LibsvmFiles() {
  }

  public static LabeledData load(String name, int numFeatures, int numClasses,
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
    return new LabeledData(name, numFeatures, numClasses,
        Arrays.copyOf(samples.features, samples.rows * numFeatures),
        Arrays.copyOf(samples.labels, samples.rows));
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
    int start = samples.add((int) shifted);
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
      samples.features[start + index - 1] = number(tokens[k].substring(colon + 1), at,
          "the value of feature " + index);
    }
  }

  private static double number(String token, String at, String what) {
    try {
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw new InputException(at + what + " '" + token + "' is not a number");
    }
  }

  /** Rows gathered so far, in arrays that grow (with zeros, the features left out). */
  private static final class Samples {
    private final int numFeatures;
    private double[] features = new double[0];
    private int[] labels = new int[0];
    private int rows;

    Samples(int numFeatures) {
      this.numFeatures = numFeatures;
    }

    /** Adds a row of {@code label}; returns where its features start in {@code features}. */
    int add(int label) {
      if (rows == labels.length) {
        int capacity = Math.max(16, rows * 2);
        labels = Arrays.copyOf(labels, capacity);
        features = Arrays.copyOf(features, capacity * numFeatures);
      }
      labels[rows] = label;
      return rows++ * numFeatures;
    }
  }
}
