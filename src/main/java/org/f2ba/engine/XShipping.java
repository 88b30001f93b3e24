package org.f2ba.engine;

/**
 * How x reaches the executors where it has one entry per sample (hyper-cleaning's weights, one
 * per training row), x changing once per outer iteration: shipped from the driver, or kept where
 * its rows are.
 */
public enum XShipping {
  /** One broadcast of all of x, which every executor fetches; a task reads its rows' entries. */
  WHOLE,
  /** One broadcast of each shard's entries: an executor fetches those of its shards only. */
  PER_SHARD,
  /**
   * Kept with the rows: each shard's entries in a cached partition beside it, stepped there
   * ({@link GradientEngine#keepX}); x reaches the driver only to be written.
   */
  WITH_ROWS
}
