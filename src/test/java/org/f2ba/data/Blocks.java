package org.f2ba.data;

import java.util.Arrays;
import java.util.Random;

/** Blocks and sparse data for tests. */
public final class Blocks {
  private Blocks() {
  }

  /** The labels of {@code block} in double precision, as datasets hold them. */
  public static double[] labels(DataBlock block) {
    double[] labels = new double[block.rows()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = block.labels()[i];
    }
    return labels;
  }

  /** The values of {@code block}, dense or sparse, as a dense block's (rows × width). */
  public static float[] dense(DataBlock block) {
    if (!block.isSparse()) {
      return Arrays.copyOf(block.values(), block.rows() * block.width());
    }
    float[] values = new float[block.rows() * block.width()];
    int[] starts = block.rowStarts();
    for (int i = 0; i < block.rows(); i++) {
      for (int k = starts[i]; k < starts[i + 1]; k++) {
        values[i * block.width() + block.columns()[k]] = block.values()[k];
      }
    }
    return values;
  }

  /**
   * {@code rows} rows of {@code dim} features, about {@code perRow} of them non-zero: a row of
   * class c has non-zeros N(1 + c, 1) at random features, more often among the first 20.
   */
  public static SparseLabeledData sparse(String name, int rows, int dim, int classes,
      int perRow, long seed) {
    Random random = new Random(seed);
    int[] starts = new int[rows + 1];
    int[] columns = new int[rows * perRow];
    double[] values = new double[rows * perRow];
    double[] labels = new double[rows];
    int stored = 0;
    for (int i = 0; i < rows; i++) {
      labels[i] = random.nextInt(classes);
      boolean[] taken = new boolean[dim];
      for (int k = 0; k < perRow; k++) {
        taken[random.nextBoolean() ? random.nextInt(Math.min(20, dim)) : random.nextInt(dim)]
            = true;
      }
      for (int j = 0; j < dim; j++) {
        if (taken[j]) {
          columns[stored] = j;
          values[stored++] = 1 + labels[i] * (j < 20 ? 1 : 0) + random.nextGaussian();
        }
      }
      starts[i + 1] = stored;
    }
    return new SparseLabeledData(name, dim, classes, starts, columns, values, labels);
  }
}
