package org.f2ba.engine;

/**
 * One version of an x that has one entry per sample of a dataset (hyper-cleaning's weights,
 * one per training row), kept by the engine in the partitions of those samples: evaluations read
 * it there, each outer iteration's step on x is taken there ({@link XStep}), and x reaches the
 * driver only when gathered, to be written.
 */
public interface KeptX {
  /** ‖x‖. */
  double norm();

  /** The entries of x, in order, gathered on the driver. */
  double[] gather();
}
