package org.f2ba.problem;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import org.f2ba.data.DataBlock;

/**
 * A network with one hidden layer as the classifier y: a row a (features and bias) has the
 * logits W₂ᵀ [σ(W₁ᵀ a); 1], with W₁ width × hidden, W₂ (hidden + 1) × numClasses (the last row
 * the output bias), both column-major, y = [W₁, W₂]. A chunk of rows takes one product of the
 * block with the first layers of all models at once ({@link BlockProducts}, in the arithmetic
 * asked for, dense or sparse), as the linear model's logits do, and small double-precision
 * products above it; the gradients come back the same way (backpropagation, by hand), the
 * first layer's as one product A Dᵀ. Second-order products differentiate all of that along a
 * direction (forward mode: Pearlmutter's R-operator). The lower level this makes is not convex:
 * y*(x) is a set, and the exact hyper-gradient's Newton-CG needs ∇²yy g positive definite where
 * it looks.
 */
public record HiddenLayerNetwork(int hidden, int numClasses, Activation activation)
    implements Classifier {

  /** The hidden units' nonlinearity σ, with the derivatives backpropagation needs. */
  public enum Activation {
    /** max(0, t): σ'' is zero (the kink at 0 aside). */
    RELU,
    /** t Φ(t) in the tanh form 0.5 t (1 + tanh(√(2/π)(t + 0.044715 t³))): smooth. */
    GELU;

    private static final double C = Math.sqrt(2 / Math.PI);
    private static final double A = 0.044715;

    double value(double t) {
      if (this == RELU) {
        return t > 0 ? t : 0;
      }
      return 0.5 * t * (1 + Math.tanh(C * (t + A * t * t * t)));
    }

    double derivative(double t) {
      if (this == RELU) {
        return t > 0 ? 1 : 0;
      }
      return derivative(t, Math.tanh(C * (t + A * t * t * t)));
    }

    /** σ'(t), with σ(t) put at {@code values[at]}: GELU's tanh taken once for both. */
    double derivative(double t, double[] values, int at) {
      if (this == RELU) {
        values[at] = t > 0 ? t : 0;
        return t > 0 ? 1 : 0;
      }
      double th = Math.tanh(C * (t + A * t * t * t));
      values[at] = 0.5 * t * (1 + th);
      return derivative(t, th);
    }

    /** GELU's σ'(t), given th = tanh(√(2/π)(t + 0.044715 t³)). */
    private static double derivative(double t, double th) {
      return 0.5 * (1 + th) + 0.5 * t * (1 - th * th) * C * (1 + 3 * A * t * t);
    }

    double secondDerivative(double t) {
      if (this == RELU) {
        return 0;
      }
      double th = Math.tanh(C * (t + A * t * t * t));
      double sech2 = 1 - th * th;
      double du = C * (1 + 3 * A * t * t);
      return sech2 * du + 0.5 * t * (-2 * th * sech2 * du * du + sech2 * C * 6 * A * t);
    }
  }

  public HiddenLayerNetwork {
    if (hidden < 1 || numClasses < 2) {
      throw new IllegalArgumentException("a network needs at least one hidden unit and two"
          + " classes, not " + hidden + " and " + numClasses);
    }
  }

  @Override
  public int dimY(int width) {
    return width * hidden + (hidden + 1) * numClasses;
  }

  @Override
  public void accumulate(DataBlock block, Arithmetic arithmetic, double[][] models,
      double[] weights, double[] rowLoss, LossSums[] sums) {
    int m = block.rows();
    int k = models.length;
    int h = hidden;
    int first = block.width() * h;
    Workspace work = Workspace.get();
    double[] w1 = work.sideBySide(first, models);
    boolean anyGradient = LossSums.anyGradY(sums);
    double[] grad1 = anyGradient ? Workspace.zeroed(work.gradient(first * k), first * k) : null;
    int second = (h + 1) * numClasses;
    double[] grad2 = anyGradient ? Workspace.zeroed(work.outputGradient(second * k), second * k)
        : null;
    float[] labels = block.labels();
    BLAS blas = Blas.instance(arithmetic.blas());
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, w1, k * h, (from, rows, pre) -> {
      double[] z = work.hidden(k * rows * (h + 1));
      double[] logits = work.logits(rows * k * numClasses);
      for (int p = 0; p < k; p++) {
        int zOff = p * rows * (h + 1);
        activateKeepingSlopes(pre, k * h, p * h, rows, z, zOff);
        output(blas, models[p], first, z, zOff, rows, logits, p * numClasses, k * numClasses,
            0);
      }
      SoftmaxCrossEntropy.residuals(logits, rows, from, m, labels, numClasses, weights, rowLoss,
          sums);
      if (grad1 == null) {
        return;
      }
      double[] back = work.backward(rows * h);
      for (int p = 0; p < k; p++) {
        int hOff = p * h;
        if (sums[p].gradY == null) {
          for (int r = 0; r < rows; r++) {
            Arrays.fill(pre, r * k * h + hOff, r * k * h + hOff + h, 0.0);
          }
          continue;
        }
        int zOff = p * rows * (h + 1);
        // ∇W₂ += Zᵀ R, with Z the hidden activations and their bias column.
        blas.dgemm("N", "T", h + 1, numClasses, rows, 1.0, z, zOff, h + 1, logits,
            p * numClasses, k * numClasses, 1.0, grad2, p * second, h + 1);
        // D = (R W₂ᵀ) ⊙ σ'(H): the residuals back at the hidden units, over their bias.
        backward(blas, models[p], first, logits, p * numClasses, k * numClasses, rows, back, 0);
        for (int r = 0; r < rows; r++) {
          int off = r * k * h + hOff;
          for (int j = 0; j < h; j++) {
            pre[off + j] *= back[r * h + j];
          }
        }
      }
      products.addProduct(pre, k * h, k * h, grad1); // ∇W₁ += A Dᵀ
    });
    for (int p = 0; p < k; p++) {
      sums[p].count += m;
      sums[p].addToGradY(0, grad1, p * first, first);
      sums[p].addToGradY(first, grad2, p * second, second);
    }
  }

  /**
   * Along v = [V₁, V₂]: with H = A W₁, dH = A V₁, Z = σ(H), dZ = σ'(H) ⊙ dH, logits L = Z W₂ and
   * dL = dZ W₂ + Z V₂, residuals R and their rate dR ({@link SoftmaxCrossEntropy#derivatives}),
   * ∇W₂ = Zᵀ R changes at the rate dZᵀ R + Zᵀ dR, and ∇W₁ = A Dᵀ with D = B ⊙ σ'(H),
   * B = R W₂ᵀ, at the rate A dDᵀ, dD = (dR W₂ᵀ + R V₂ᵀ) ⊙ σ'(H) + B ⊙ σ''(H) ⊙ dH.
   */
  @Override
  public void accumulateAlong(DataBlock block, Arithmetic arithmetic, double[] y, double[] v,
      double[] weights, double[] rowDerivative, LossSums sums) {
    int m = block.rows();
    int h = hidden;
    int first = block.width() * h;
    int second = (h + 1) * numClasses;
    Workspace work = Workspace.get();
    double[] w1 = work.sideBySide(first, new double[][] {y, v});
    double[] grad1 = sums.gradY == null ? null : Workspace.zeroed(work.gradient(first), first);
    double[] grad2 = sums.gradY == null ? null
        : Workspace.zeroed(work.outputGradient(second), second);
    float[] labels = block.labels();
    BLAS blas = Blas.instance(arithmetic.blas());
    BlockProducts products = BlockProducts.of(arithmetic, block);
    products.overChunks(block, w1, 2 * h, (from, rows, pre) -> {
      // pre holds H and dH side by side, rows × 2h.
      double[] z = work.hidden(2 * rows * (h + 1));
      int dzOff = rows * (h + 1);
      activate(pre, 2 * h, 0, rows, z, 0);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < h; j++) {
          z[dzOff + r * (h + 1) + j] = activation.derivative(pre[r * 2 * h + j])
              * pre[r * 2 * h + h + j];
        }
        z[dzOff + r * (h + 1) + h] = 0;
      }
      int cols = 2 * numClasses;
      double[] logits = work.logits(rows * cols);
      output(blas, y, first, z, 0, rows, logits, 0, cols, 0);
      output(blas, y, first, z, dzOff, rows, logits, numClasses, cols, 0);
      output(blas, v, first, z, 0, rows, logits, numClasses, cols, 1);
      double[] residuals = grad1 == null ? null : work.residuals(rows * numClasses);
      sums.value += SoftmaxCrossEntropy.derivatives(logits, rows, from, labels, numClasses,
          weights, rowDerivative, residuals);
      if (grad1 == null) {
        return;
      }
      // logits' first numClasses columns now hold dR.
      blas.dgemm("N", "T", h + 1, numClasses, rows, 1.0, z, dzOff, h + 1, residuals, 0,
          numClasses, 1.0, grad2, 0, h + 1);
      blas.dgemm("N", "T", h + 1, numClasses, rows, 1.0, z, 0, h + 1, logits, 0, cols, 1.0,
          grad2, 0, h + 1);
      double[] back = work.backward(2 * rows * h);
      backward(blas, y, first, residuals, 0, numClasses, rows, back, 0);
      int dOff = rows * h;
      backward(blas, y, first, logits, 0, cols, rows, back, dOff);
      blas.dgemm("N", "N", h, rows, numClasses, 1.0, v, first, h + 1, residuals, 0, numClasses,
          1.0, back, dOff, h);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < h; j++) {
          double t = pre[r * 2 * h + j];
          double dt = pre[r * 2 * h + h + j];
          pre[r * 2 * h + j] = back[dOff + r * h + j] * activation.derivative(t)
              + back[r * h + j] * activation.secondDerivative(t) * dt;
        }
      }
      products.addProduct(pre, 2 * h, h, grad1);
    });
    sums.count += m;
    sums.addToGradY(0, grad1, 0, first);
    sums.addToGradY(first, grad2, 0, second);
  }

  /**
   * Into z from zOff (rows × (hidden + 1), row-major): σ of the pre-activations at columns
   * [from, from + hidden) of {@code pre} (rows × ld), and the bias column 1.
   */
  private void activate(double[] pre, int ld, int from, int rows, double[] z, int zOff) {
    int h = hidden;
    for (int r = 0; r < rows; r++) {
      int in = r * ld + from;
      int out = zOff + r * (h + 1);
      for (int j = 0; j < h; j++) {
        z[out + j] = activation.value(pre[in + j]);
      }
      z[out + h] = 1;
    }
  }

  /**
   * As {@link #activate}, and replaces the pre-activations by σ' of them, which
   * backpropagation needs.
   */
  private void activateKeepingSlopes(double[] pre, int ld, int from, int rows, double[] z,
      int zOff) {
    int h = hidden;
    for (int r = 0; r < rows; r++) {
      int in = r * ld + from;
      int out = zOff + r * (h + 1);
      for (int j = 0; j < h; j++) {
        pre[in + j] = activation.derivative(pre[in + j], z, out + j);
      }
      z[out + h] = 1;
    }
  }

  /**
   * Into {@code logits} from {@code off} (rows × ld, row-major), times beta plus: the hidden
   * values z from zOff (rows × (hidden + 1)) times the output layer of {@code model} (from
   * entry {@code first}).
   */
  private void output(BLAS blas, double[] model, int first, double[] z, int zOff, int rows,
      double[] logits, int off, int ld, double beta) {
    blas.dgemm("T", "N", numClasses, rows, hidden + 1, 1.0, model, first, hidden + 1, z, zOff,
        hidden + 1, beta, logits, off, ld);
  }

  /**
   * Into {@code back} from {@code backOff} (rows × hidden, row-major): the residuals at
   * {@code residuals} from {@code off} (rows × ld) times the transposed output layer of
   * {@code model} without its bias row, R W₂ᵀ.
   */
  private void backward(BLAS blas, double[] model, int first, double[] residuals, int off,
      int ld, int rows, double[] back, int backOff) {
    blas.dgemm("N", "N", hidden, rows, numClasses, 1.0, model, first, hidden + 1, residuals,
        off, ld, 0.0, back, backOff, hidden);
  }
}
