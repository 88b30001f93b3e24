package org.f2ba.engine;

import java.io.Serializable;

/**
 * A step of x along a direction d made entry by entry from the mean gradients in x of one
 * evaluation's requests (a hyper-gradient estimate, such as F²BA's): x ← x − η·d. The driver takes
 * it over all of x; where x is kept with its rows ({@link KeptX}), every shard takes it over its
 * rows' entries, by the same arithmetic, so that the iterates are the same bit for bit.
 */
public record XStep(double eta, Direction direction) implements Serializable {
  /** d from the requests' mean gradients in x (null for a request without one). */
  @FunctionalInterface
  public interface Direction extends Serializable {
    /** Writes d over the entries of {@code d}, which the gradients cover too. */
    void into(double[][] meanGradX, double[] d);
  }

  /** x ← x − η·d over the entries of {@code x}, which the gradients cover; returns d. */
  public double[] take(double[][] meanGradX, double[] x) {
    double[] d = new double[x.length];
    direction.into(meanGradX, d);
    for (int i = 0; i < x.length; i++) {
      x[i] -= eta * d[i];
    }
    return d;
  }
}
