package org.f2ba.data;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.mllib.regression.LabeledPoint;
import org.apache.spark.mllib.util.MLUtils;

/**
 * Labeled samples from a LIBSVM text file, parsed by Spark's own reader and gathered densely on
 * the driver. Labels, less {@code labelOffset}, must be class indices in [0, numClasses).
 */
public final class LibsvmFiles {
  private LibsvmFiles() {
  }

  public static LabeledData load(SparkContext sc, String file, int numFeatures, int numClasses,
      int labelOffset) {
    List<LabeledPoint> points;
    try {
      points = MLUtils.loadLibSVMFile(sc, file, numFeatures).toJavaRDD().collect();
    } catch (Exception e) { // Spark's exceptions are checked ones, thrown from Scala
      throw new InputException(file + ": not a readable LIBSVM file ("
          + rootMessage(e) + ")", e);
    }
    int[] labels = new int[points.size()];
    double[] features = new double[points.size() * numFeatures];
    for (int i = 0; i < labels.length; i++) {
      LabeledPoint p = points.get(i);
      double label = p.label() - labelOffset;
      if (label != Math.rint(label) || label < 0 || label >= numClasses) {
        throw new InputException(file + ": line " + (i + 1) + " has label " + p.label()
            + "; with label offset " + labelOffset + " labels must lie in [" + labelOffset
            + ", " + (labelOffset + numClasses - 1) + "]");
      }
      labels[i] = (int) label;
      if (p.features().size() != numFeatures) {
        throw new InputException(file + ": line " + (i + 1) + " has " + p.features().size()
            + " features, expected " + numFeatures);
      }
      System.arraycopy(p.features().toArray(), 0, features, i * numFeatures, numFeatures);
    }
    return new LabeledData(file, numFeatures, numClasses, features, labels);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
