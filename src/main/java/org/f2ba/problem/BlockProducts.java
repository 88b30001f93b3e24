package org.f2ba.problem;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import org.f2ba.data.DataBlock;

/**
 * The two matrix products of a linear model's loss over a chunk of a block's rows: the logits
 * S = Wᵀ A of the chunk at models W, and the gradient A Rᵀ of residuals R. Dense blocks go to
 * BLAS in the precision an {@link Arithmetic} asks for; sparse blocks are multiplied a non-zero
 * at a time, in double precision. A chunk is a few hundred kilobytes of the block, so that the
 * second product finds it in cache where the first left it: one pass over the data for both.
 * Results come back, and gradients are summed across chunks, in double precision.
 */
abstract class BlockProducts {
  /** Rows a chunk holds at most: 1024 rows of 785 floats are 3.2 MB. */
  static final int CHUNK_ROWS = 1024;

  DataBlock block;
  int rows;

  /**
   * Products over {@code block}: a dense one's in the precision and on the BLAS
   * {@code arithmetic} asks for.
   */
  static BlockProducts of(Arithmetic arithmetic, DataBlock block) {
    if (block.isSparse()) {
      return new Sparse();
    }
    BLAS blas = Blas.instance(arithmetic.blas());
    return arithmetic.precision() == Arithmetic.Precision.SINGLE ? new SinglePrecision(blas)
        : new DoublePrecision(blas);
  }

  /** What a loss does with one chunk: rows [from, from + rows), their logits row-major. */
  interface ChunkWork {
    void accept(int from, int rows, double[] logits);
  }

  /**
   * Takes the block a chunk at a time: computes the chunk's logits at the models {@code w}
   * (width × cols, column-major) and hands them to {@code work}, which may then call
   * {@link #addProduct} on the same chunk.
   */
  void overChunks(DataBlock chunked, double[] w, int cols, ChunkWork work) {
    this.block = chunked;
    models(w, cols);
    for (int from = 0; from < chunked.rows(); from += CHUNK_ROWS) {
      rows = Math.min(CHUNK_ROWS, chunked.rows() - from);
      loaded(from);
      double[] scores = Workspace.get().scores(rows * cols);
      logits(scores);
      work.accept(from, rows, scores);
    }
  }

  /** Takes the models w (width × cols, column-major) the block's logits are taken at. */
  abstract void models(double[] w, int cols);

  /** Makes rows [from, from + rows) of the block the chunk the next products are over. */
  abstract void loaded(int from);

  /** Into {@code scores} (rows × cols, row-major): the logits of the chunk's rows. */
  abstract void logits(double[] scores);

  /**
   * Adds to {@code grad} (width × n, column-major) A Rᵀ over the chunk's rows, where R is the
   * first n columns of {@code residuals} (rows × ldr, row-major).
   */
  abstract void addProduct(double[] residuals, int ldr, int n, double[] grad);

  /** sgemm on the block's float32 values, in place. */
  private static final class SinglePrecision extends BlockProducts {
    private final BLAS blas;
    private int offset;
    private float[] models;
    private int cols;

    SinglePrecision(BLAS blas) {
      this.blas = blas;
    }

    @Override
    void loaded(int from) {
      offset = from * block.width();
    }

    @Override
    void models(double[] w, int columns) {
      cols = columns;
      models = Workspace.get().floatModels(block.width() * cols);
      for (int j = 0; j < block.width() * cols; j++) {
        models[j] = (float) w[j];
      }
    }

    @Override
    void logits(double[] scores) {
      int width = block.width();
      float[] sf = Workspace.get().floatScores(rows * cols);
      blas.sgemm("T", "N", cols, rows, width, 1f, models, 0, width, block.values(), offset,
          width, 0f, sf, 0, cols);
      for (int j = 0; j < rows * cols; j++) {
        scores[j] = sf[j];
      }
    }

    @Override
    void addProduct(double[] residuals, int ldr, int n, double[] grad) {
      Workspace work = Workspace.get();
      int width = block.width();
      float[] rf = work.floatScores(rows * n);
      for (int i = 0; i < rows; i++) {
        for (int c = 0; c < n; c++) {
          rf[i * n + c] = (float) residuals[i * ldr + c];
        }
      }
      float[] gf = work.floatGradient(width * n);
      blas.sgemm("N", "T", width, n, rows, 1f, block.values(), offset, width, rf, 0, n, 0f, gf,
          0, width);
      for (int j = 0; j < width * n; j++) {
        grad[j] += gf[j];
      }
    }
  }

  /**
   * Compressed sparse rows times dense models, a non-zero at a time: each non-zero a_ij adds
   * a_ij W_j· to row i's logits and a_ij R_i· to the gradient's row j.
   */
  private static final class Sparse extends BlockProducts {
    private double[] models;
    private int cols;
    private int first;

    @Override
    void models(double[] w, int columns) {
      models = w;
      cols = columns;
    }

    @Override
    void loaded(int from) {
      first = from;
    }

    @Override
    void logits(double[] scores) {
      int width = block.width();
      int[] starts = block.rowStarts();
      int[] columns = block.columns();
      float[] values = block.values();
      Arrays.fill(scores, 0, rows * cols, 0.0);
      for (int r = 0; r < rows; r++) {
        int out = r * cols;
        for (int k = starts[first + r]; k < starts[first + r + 1]; k++) {
          double a = values[k];
          int j = columns[k];
          for (int c = 0; c < cols; c++) {
            scores[out + c] += a * models[c * width + j];
          }
        }
      }
    }

    @Override
    void addProduct(double[] residuals, int ldr, int n, double[] grad) {
      int width = block.width();
      int[] starts = block.rowStarts();
      int[] columns = block.columns();
      float[] values = block.values();
      for (int r = 0; r < rows; r++) {
        int in = r * ldr;
        for (int k = starts[first + r]; k < starts[first + r + 1]; k++) {
          double a = values[k];
          int j = columns[k];
          for (int c = 0; c < n; c++) {
            grad[c * width + j] += a * residuals[in + c];
          }
        }
      }
    }
  }

  /** dgemm on the chunk widened to double. */
  private static final class DoublePrecision extends BlockProducts {
    private final BLAS blas;
    private double[] chunk;
    private double[] models;
    private int cols;

    DoublePrecision(BLAS blas) {
      this.blas = blas;
    }

    @Override
    void loaded(int from) {
      chunk = Workspace.get().data(rows * block.width());
      block.copyValuesTo(from, rows, chunk);
    }

    @Override
    void models(double[] w, int columns) {
      models = w;
      cols = columns;
    }

    @Override
    void logits(double[] scores) {
      int width = block.width();
      blas.dgemm("T", "N", cols, rows, width, 1.0, models, width, chunk, width, 0.0, scores,
          cols);
    }

    @Override
    void addProduct(double[] residuals, int ldr, int n, double[] grad) {
      int width = block.width();
      blas.dgemm("N", "T", width, n, rows, 1.0, chunk, width, residuals, ldr, 1.0, grad,
          width);
    }
  }
}
