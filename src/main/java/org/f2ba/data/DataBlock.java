package org.f2ba.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A block of samples stored densely for BLAS: {@code values} holds {@code rows} samples of
 * {@code width} values each, row-major (so, to column-major BLAS, a width-by-rows matrix), in
 * single precision to halve the memory and bandwidth the data takes; products with them run in
 * single or double precision as an evaluation's arithmetic asks. The last value of every row is
 * the constant 1 of the bias.
 * {@code index[i]} is the position of row i in its whole dataset, which per-sample
 * hyperparameters are indexed by.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int width;
  private final float[] values;
  private final int[] labels;
  private final int[] index;

  public DataBlock(int rows, int width, float[] values, int[] labels, int[] index) {
    this.rows = rows;
    this.width = width;
    this.values = values;
    this.labels = labels;
    this.index = index;
  }

  /** Rows [from, to) of {@code data}, with a bias column appended. */
  public static DataBlock of(LabeledData data, int from, int to) {
    int dim = data.dim();
    int width = dim + 1;
    int rows = to - from;
    float[] values = new float[rows * width];
    int[] labels = new int[rows];
    int[] index = new int[rows];
    double[] features = data.features();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dim; j++) {
        values[i * width + j] = (float) features[(from + i) * dim + j];
      }
      values[i * width + dim] = 1.0f;
      labels[i] = data.labels()[from + i];
      index[i] = from + i;
    }
    return new DataBlock(rows, width, values, labels, index);
  }

  /**
   * The rows of {@code parts}, in order, cut into blocks of {@code blockRows} rows (the last one
   * shorter); the parts must have the same width.
   */
  public static List<DataBlock> concatenate(List<DataBlock> parts, int blockRows) {
    int total = parts.stream().mapToInt(DataBlock::rows).sum();
    List<DataBlock> blocks = new ArrayList<>();
    int part = 0;
    int partRow = 0;
    for (int start = 0; start < total; start += blockRows) {
      int rows = Math.min(blockRows, total - start);
      int width = parts.get(part).width;
      float[] v = new float[rows * width];
      int[] l = new int[rows];
      int[] idx = new int[rows];
      for (int filled = 0; filled < rows; ) {
        DataBlock p = parts.get(part);
        int take = Math.min(rows - filled, p.rows - partRow);
        System.arraycopy(p.values, partRow * width, v, filled * width, take * width);
        System.arraycopy(p.labels, partRow, l, filled, take);
        System.arraycopy(p.index, partRow, idx, filled, take);
        filled += take;
        partRow += take;
        if (partRow == p.rows) {
          part++;
          partRow = 0;
        }
      }
      blocks.add(new DataBlock(rows, width, v, l, idx));
    }
    return blocks;
  }

  /** The given rows (positions in this block) copied into a new block. */
  public DataBlock select(int[] rowsToKeep) {
    float[] v = new float[rowsToKeep.length * width];
    int[] l = new int[rowsToKeep.length];
    int[] idx = new int[rowsToKeep.length];
    for (int k = 0; k < rowsToKeep.length; k++) {
      int r = rowsToKeep[k];
      System.arraycopy(values, r * width, v, k * width, width);
      l[k] = labels[r];
      idx[k] = index[r];
    }
    return new DataBlock(rowsToKeep.length, width, v, l, idx);
  }

  public int rows() {
    return rows;
  }

  public int width() {
    return width;
  }

  public float[] values() {
    return values;
  }

  /** Rows [from, from + count) in double precision, into {@code target} from its start. */
  public void copyValuesTo(int from, int count, double[] target) {
    int offset = from * width;
    for (int i = 0; i < count * width; i++) {
      target[i] = values[offset + i];
    }
  }

  public int[] labels() {
    return labels;
  }

  public int[] index() {
    return index;
  }
}
