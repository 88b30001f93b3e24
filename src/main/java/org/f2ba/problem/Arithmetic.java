package org.f2ba.problem;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the losses do their matrix products: in single precision (sgemm on the float32 blocks the
 * data is stored in, sums across row chunks and blocks in double) or in double precision (each
 * chunk widened to double, dgemm), and on which BLAS. Single precision is the default: the
 * products read half the memory and run about twice as fast; double is for what needs gradients
 * accurate beyond single precision's 7 digits (finite-difference checks, the exact
 * hyper-gradients and the refit, which solve to ‖∇y g‖ ≤ 10⁻⁶).
 */
public record Arithmetic(Precision precision, Blas.Choice blas) implements Serializable {
  /** The precision of the products; the loss math around them is always double. */
  public enum Precision {
    SINGLE, DOUBLE
  }

  /** Single precision on the BLAS that {@link Blas.Choice#AUTO} picks. */
  public static final Arithmetic DEFAULT = new Arithmetic(Precision.SINGLE, Blas.Choice.AUTO);

  /** Double precision on the BLAS that {@link Blas.Choice#AUTO} picks. */
  public static final Arithmetic DOUBLE = new Arithmetic(Precision.DOUBLE, Blas.Choice.AUTO);

  /** The same BLAS, in double precision. */
  public Arithmetic inDouble() {
    return new Arithmetic(Precision.DOUBLE, blas);
  }

  @Override
  public String toString() {
    return precision.name().toLowerCase(Locale.ROOT) + " precision"
        + (blas == Blas.Choice.AUTO ? "" : ", " + blas.name().toLowerCase(Locale.ROOT) + " BLAS");
  }
}
