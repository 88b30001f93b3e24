package org.f2ba.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A block of samples, in single precision to halve the memory and bandwidth the data takes;
 * products with them run in single or double precision as an evaluation's arithmetic asks. The
 * features are stored one of two ways, chosen per dataset by its density ({@link #sparseFor}):
 * <ul>
 * <li>dense, for BLAS: {@code values} holds {@code rows} samples of {@code width} values each,
 * row-major (so, to column-major BLAS, a width-by-rows matrix);</li>
 * <li>sparse, compressed sparse rows: row i's non-zeros are {@code values[k]} at columns
 * {@code columns[k]} for k in [{@code rowStarts[i]}, {@code rowStarts[i + 1]}), columns
 * increasing.</li>
 * </ul>
 * The last column of every row is the constant 1 of the bias. {@code index[i]} is the position
 * of row i in its whole dataset, which per-sample hyperparameters are indexed by.
 */
public final class DataBlock implements Serializable {
  private static final long serialVersionUID = 2L;

  /**
   * The largest share of non-zero features at which a dataset is stored sparse: a non-zero
   * takes twice the memory of a dense value (its column too), and a sparse product costs more
   * per non-zero than BLAS per value.
   */
  private static final double SPARSE_DENSITY = 0.1;

  private final int rows;
  private final int width;
  private final float[] values;
  private final int[] rowStarts;
  private final int[] columns;
  private final float[] labels;
  private final int[] index;

  private DataBlock(int rows, int width, float[] values, int[] rowStarts, int[] columns,
      float[] labels, int[] index) {
    this.rows = rows;
    this.width = width;
    this.values = values;
    this.rowStarts = rowStarts;
    this.columns = columns;
    this.labels = labels;
    this.index = index;
  }

  /** A dense block: {@code values} holds rows × width values, row-major, bias included. */
  public static DataBlock dense(int rows, int width, float[] values, float[] labels,
      int[] index) {
    return new DataBlock(rows, width, values, null, null, labels, index);
  }

  /**
   * Whether a dataset of {@code rows} rows of {@code dim} features, {@code nonZeros} of them
   * not zero, is stored sparse.
   */
  public static boolean sparseFor(long nonZeros, long rows, int dim) {
    return nonZeros <= SPARSE_DENSITY * rows * dim;
  }

  /** Rows [from, to) of {@code data}, with a bias column appended. */
  public static DataBlock of(LabeledData data, int from, int to) {
    int dim = data.dim();
    int width = dim + 1;
    int rows = to - from;
    float[] values = new float[rows * width];
    float[] labels = new float[rows];
    int[] index = new int[rows];
    double[] features = data.features();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < dim; j++) {
        values[i * width + j] = (float) features[(from + i) * dim + j];
      }
      values[i * width + dim] = 1.0f;
      labels[i] = (float) data.labels()[from + i];
      index[i] = from + i;
    }
    return dense(rows, width, values, labels, index);
  }

  /**
   * The rows of {@code parts}, in order, cut into blocks of {@code blockRows} rows (the last one
   * shorter); the parts must have the same width and storage.
   */
  public static List<DataBlock> concatenate(List<DataBlock> parts, int blockRows) {
    int total = parts.stream().mapToInt(DataBlock::rows).sum();
    List<DataBlock> blocks = new ArrayList<>();
    int part = 0;
    int partRow = 0;
    for (int start = 0; start < total; start += blockRows) {
      int rows = Math.min(blockRows, total - start);
      Builder builder = new Builder(parts.get(part).width, parts.get(part).isSparse(), rows);
      for (int filled = 0; filled < rows; ) {
        DataBlock p = parts.get(part);
        int take = Math.min(rows - filled, p.rows - partRow);
        builder.addRows(p, partRow, take);
        filled += take;
        partRow += take;
        if (partRow == p.rows) {
          part++;
          partRow = 0;
        }
      }
      blocks.add(builder.build());
    }
    return blocks;
  }

  public int rows() {
    return rows;
  }

  public int width() {
    return width;
  }

  /** Whether the features are stored as compressed sparse rows. */
  public boolean isSparse() {
    return rowStarts != null;
  }

  /** The dense values, or a sparse block's non-zeros. */
  public float[] values() {
    return values;
  }

  /** Where each row's non-zeros start, and last their count (sparse blocks only). */
  public int[] rowStarts() {
    return rowStarts;
  }

  /** The column of each non-zero (sparse blocks only). */
  public int[] columns() {
    return columns;
  }

  /** Rows [from, from + count) of a dense block in double precision, into {@code target}. */
  public void copyValuesTo(int from, int count, double[] target) {
    int offset = from * width;
    for (int i = 0; i < count * width; i++) {
      target[i] = values[offset + i];
    }
  }

  /** Each row's label: a class index, or for regression a real value. */
  public float[] labels() {
    return labels;
  }

  public int[] index() {
    return index;
  }

  /**
   * Copies chosen rows of blocks into arrays it reuses from one selection to the next, so that
   * drawing mini-batches allocates nothing once its arrays have grown: a block it returns holds
   * its rows only until its next selection (its arrays may be longer than its rows). One per
   * thread.
   */
  public static final class Selector {
    private float[] values = new float[0];
    private int[] columns = new int[0];
    private int[] rowStarts = new int[1];
    private float[] labels = new float[0];
    private int[] index = new int[0];

    /**
     * Rows {@code rows[from]}, ..., {@code rows[to − 1]} of {@code block}, whose rows are
     * numbered from {@code firstRow} on.
     */
    public DataBlock select(DataBlock block, int firstRow, int[] rows, int from, int to) {
      int count = to - from;
      labels = labels.length >= count ? labels : new float[count];
      index = index.length >= count ? index : new int[count];
      int width = block.width;
      int stored = 0;
      if (block.isSparse()) {
        rowStarts = rowStarts.length > count ? rowStarts : new int[count + 1];
        for (int k = 0; k < count; k++) {
          int row = rows[from + k] - firstRow;
          stored += block.rowStarts[row + 1] - block.rowStarts[row];
        }
        values = values.length >= stored ? values : new float[stored];
        columns = columns.length >= stored ? columns : new int[stored];
        stored = 0;
      } else {
        values = values.length >= count * width ? values : new float[count * width];
      }
      for (int k = 0; k < count; k++) {
        int row = rows[from + k] - firstRow;
        if (block.isSparse()) {
          int start = block.rowStarts[row];
          int n = block.rowStarts[row + 1] - start;
          System.arraycopy(block.values, start, values, stored, n);
          System.arraycopy(block.columns, start, columns, stored, n);
          stored += n;
          rowStarts[k + 1] = stored;
        } else {
          System.arraycopy(block.values, row * width, values, k * width, width);
        }
        labels[k] = block.labels[row];
        index[k] = block.index[row];
      }
      return new DataBlock(count, width, values, block.isSparse() ? rowStarts : null,
          block.isSparse() ? columns : null, labels, index);
    }
  }

  /**
   * Makes a block row by row, dense or sparse: rows copied from other blocks, or given a
   * feature at a time ({@link #add}, then {@link #endRow}, which appends the bias).
   */
  public static final class Builder {
    private final int width;
    private final boolean sparse;
    private float[] values;
    private int[] columns;
    private final int[] rowStarts;
    private final float[] labels;
    private final int[] index;
    private int rows;
    private int stored;

    /** A block of {@code rows} rows of {@code width} columns, the bias included. */
    public Builder(int width, boolean sparse, int rows) {
      this.width = width;
      this.sparse = sparse;
      this.labels = new float[rows];
      this.index = new int[rows];
      if (sparse) {
        rowStarts = new int[rows + 1];
        values = new float[Math.max(16, rows)];
        columns = new int[values.length];
      } else {
        rowStarts = null;
        values = new float[rows * width];
      }
    }

    /** Sets feature {@code column} (in [0, width − 1), increasing) of the row being made. */
    public void add(int column, float value) {
      if (!sparse) {
        values[rows * width + column] = value;
      } else if (value != 0) {
        room(1);
        values[stored] = value;
        columns[stored++] = column;
      }
    }

    /** Ends the row being made: appends the bias, and gives it its label and row number. */
    public void endRow(double label, int rowNumber) {
      add(width - 1, 1.0f);
      labels[rows] = (float) label;
      index[rows] = rowNumber;
      rows++;
      if (sparse) {
        rowStarts[rows] = stored;
      }
    }

    /** Copies rows [from, from + count) of {@code block}, stored as this one is. */
    void addRows(DataBlock block, int from, int count) {
      if (sparse) {
        int start = block.rowStarts[from];
        int n = block.rowStarts[from + count] - start;
        room(n);
        System.arraycopy(block.values, start, values, stored, n);
        System.arraycopy(block.columns, start, columns, stored, n);
        for (int i = 1; i <= count; i++) {
          rowStarts[rows + i] = stored + block.rowStarts[from + i] - start;
        }
        stored += n;
      } else {
        System.arraycopy(block.values, from * width, values, rows * width, count * width);
      }
      System.arraycopy(block.labels, from, labels, rows, count);
      System.arraycopy(block.index, from, index, rows, count);
      rows += count;
    }

    private void room(int more) {
      if (stored + more > values.length) {
        int capacity = Math.max(stored + more, values.length * 2);
        values = Arrays.copyOf(values, capacity);
        columns = Arrays.copyOf(columns, capacity);
      }
    }

    public DataBlock build() {
      if (rows != labels.length) {
        throw new IllegalStateException(rows + " rows made of the " + labels.length + " due");
      }
      return sparse
          ? new DataBlock(rows, width, Arrays.copyOf(values, stored), rowStarts,
              Arrays.copyOf(columns, stored), labels, index)
          : new DataBlock(rows, width, values, null, null, labels, index);
    }
  }
}
