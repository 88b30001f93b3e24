package org.f2ba.data;

import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;

/**
 * Sparse labeled samples held in memory, as compressed sparse rows: row i's non-zeros are
 * {@code values[k]} at features {@code columns[k]} (in [0, dim), increasing) for k in
 * [{@code rowStarts[i]}, {@code rowStarts[i + 1]}); labels are class indices in [0, numClasses),
 * or real values where numClasses is 0 (regression).
 */
public final class SparseLabeledData implements InMemoryRows {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final int dim;
  private final int numClasses;
  private final int[] rowStarts;
  private final int[] columns;
  private final double[] values;
  private final double[] labels;

  public SparseLabeledData(String name, int dim, int numClasses, int[] rowStarts,
      int[] columns, double[] values, double[] labels) {
    this.name = name;
    this.dim = dim;
    this.numClasses = numClasses;
    this.rowStarts = rowStarts;
    this.columns = columns;
    this.values = values;
    this.labels = labels;
    validate();
  }

  /** The non-zeros of {@code data}, stored sparse. */
  public static SparseLabeledData of(LabeledData data) {
    int dim = data.dim();
    double[] features = data.features();
    int[] rowStarts = new int[data.rows() + 1];
    int nonZeros = 0;
    for (double v : features) {
      nonZeros += v != 0 ? 1 : 0;
    }
    int[] columns = new int[nonZeros];
    double[] values = new double[nonZeros];
    int k = 0;
    for (int i = 0; i < data.rows(); i++) {
      for (int j = 0; j < dim; j++) {
        if (features[i * dim + j] != 0) {
          columns[k] = j;
          values[k++] = features[i * dim + j];
        }
      }
      rowStarts[i + 1] = k;
    }
    return new SparseLabeledData(data.name(), dim, data.numClasses(), rowStarts, columns,
        values, data.labels());
  }

  private void validate() {
    InMemoryRows.checkLabels(name, labels, numClasses);
    for (int i = 0; i < labels.length; i++) {
      for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
        if (columns[k] < 0 || columns[k] >= dim) {
          throw new InputException(name + ": sample " + i + " has feature " + columns[k]
              + ", outside the " + dim + " features [0, " + (dim - 1) + "]");
        }
        if (k > rowStarts[i] && columns[k] <= columns[k - 1]) {
          throw new InputException(name + ": sample " + i + " has feature " + columns[k]
              + " after feature " + columns[k - 1] + " (features must increase)");
        }
        if (!Double.isFinite(values[k])) {
          throw new InputException(name + ": sample " + i + ", feature " + columns[k] + " is "
              + values[k] + " (features must be finite)");
        }
      }
    }
  }

  /** The non-zeros the rows hold. */
  public long nonZeros() {
    return rowStarts[labels.length];
  }

  /** The same rows stored densely. */
  public LabeledData dense() {
    double[] features = new double[labels.length * dim];
    for (int i = 0; i < labels.length; i++) {
      for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
        features[i * dim + columns[k]] = values[k];
      }
    }
    return new LabeledData(name, dim, numClasses, features, labels);
  }

  @Override
  public SparseLabeledData slice(String newName, int from, int to) {
    InputRows.checkRange(name, from, to, labels.length);
    int[] starts = new int[to - from + 1];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = rowStarts[from + i] - rowStarts[from];
    }
    return new SparseLabeledData(newName, dim, numClasses, starts,
        Arrays.copyOfRange(columns, rowStarts[from], rowStarts[to]),
        Arrays.copyOfRange(values, rowStarts[from], rowStarts[to]),
        Arrays.copyOfRange(labels, from, to));
  }

  @Override
  public SparseLabeledData withLabelNoise(double p, long seed) {
    return new SparseLabeledData(name, dim, numClasses, rowStarts, columns, values,
        LabelNoise.corrupt(labels, numClasses, p, seed));
  }

  @Override
  public SparseLabeledData scaled(FeatureScaler scaler) {
    if (scaler.centers()) {
      throw new IllegalArgumentException(name + ": centering would make the sparse rows dense");
    }
    double[] out = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      out[k] = scaler.apply(values[k], columns[k]);
    }
    return new SparseLabeledData(name, dim, numClasses, rowStarts, columns, out, labels);
  }

  @Override
  public FeatureStatistics statistics() {
    FeatureStatistics statistics = new FeatureStatistics(dim);
    for (int i = 0; i < labels.length; i++) {
      statistics.addSparse(columns, values, rowStarts[i], rowStarts[i + 1]);
    }
    return statistics;
  }

  @Override
  public boolean sparse() {
    return true;
  }

  @Override
  public Vector vector(int row) {
    int from = rowStarts[row];
    int to = rowStarts[row + 1];
    return Vectors.sparse(dim, Arrays.copyOfRange(columns, from, to),
        Arrays.copyOfRange(values, from, to));
  }

  @Override
  public DataBlock block(int from, int to) {
    DataBlock.Builder builder = new DataBlock.Builder(dim + 1, true, to - from);
    for (int i = from; i < to; i++) {
      for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
        builder.add(columns[k], (float) values[k]);
      }
      builder.endRow(labels[i], i);
    }
    return builder.build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int rows() {
    return labels.length;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public double[] labels() {
    return labels;
  }
}
