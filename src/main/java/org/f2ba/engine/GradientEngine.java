package org.f2ba.engine;

import java.util.List;
import org.f2ba.problem.Blas;
import org.f2ba.problem.LossSums;

/**
 * Computes loss sums over the shards of a bilevel task, wherever they live. The solver sees only
 * this interface, so it runs the same on Spark and in process.
 */
public interface GradientEngine extends AutoCloseable {
  /**
   * The sums of each request of the evaluation over all shards, added in shard order so that
   * equal inputs give equal results bit for bit.
   */
  LossSums[] evaluate(Evaluation evaluation);

  /**
   * The sums of an evaluation at the kept x ({@link #keepX}), after which every shard steps its
   * entries of x by {@code step} from its own gradients in x: the sums without their gradients
   * in x, the new version of x, and ‖d‖² of the direction taken.
   */
  record Stepped(LossSums[] sums, KeptX x, double directionSquares) {
  }

  /** Whether x, where it has one entry per sample, is to be kept with its rows ({@link #keepX}). */
  default boolean keepsXWithRows() {
    return false;
  }

  /**
   * From now on keeps {@code x}, which has one entry per sample of the dataset whose loss depends
   * on x per sample, with the shards of those samples; evaluations with no x read the version
   * last kept or stepped. Where the engine cannot (in process, or x without an entry per
   * sample), UnsupportedOperationException.
   */
  default KeptX keepX(double[] x) {
    throw new UnsupportedOperationException("x is kept with its rows on Spark only");
  }

  /** One evaluation at the kept x, then a step of x where its entries are (see {@link Stepped}). */
  default Stepped evaluateAndStep(Evaluation evaluation, XStep step) {
    throw new UnsupportedOperationException("x is kept with its rows on Spark only");
  }

  /** The number of shards (partitions) the data is split into. */
  int shards();

  /** Distributed jobs run so far (0 for an in-process engine). */
  long jobs();

  /**
   * The native BLAS libraries the JVMs that evaluate found when the engine started, each once:
   * with the run's {@link Blas.Choice}, what their products run on.
   */
  List<Blas.NativeLibrary> nativeLibraries();

  /**
   * Names the evaluations that follow, for someone watching the cluster: on Spark, the job group
   * and the description (with each evaluation's requests) that Spark's UI shows; nothing in
   * process.
   */
  void describeJobs(String group, String description);

  /** Bytes the cached shards take in the executors' memory, as Spark counts them (0 in process). */
  long cachedBytes();

  /**
   * Bytes of the cached shards that the executors keep on their local disks (0 in process, and
   * where the shards are cached in memory only).
   */
  long cachedBytesOnDisk();

  /**
   * Shards cached neither in the executors' memory nor on their disks now (0 in process): Spark
   * rebuilds each at every evaluation that needs it, from its broadcast, its rows' description
   * or its tables.
   */
  int uncachedShards();

  @Override
  void close();

  /**
   * Adds per-shard results in shard order, into sums whose gradients in x cover all
   * {@code dimX} entries of x (a shard's cover those its losses depend on).
   */
  static LossSums[] sumInOrder(Iterable<LossSums[]> perShard, int dimX) {
    LossSums[] total = null;
    for (LossSums[] part : perShard) {
      if (total == null) {
        total = new LossSums[part.length];
        for (int r = 0; r < total.length; r++) {
          total[r] = part[r].overAllOfX(dimX);
        }
      } else {
        for (int r = 0; r < total.length; r++) {
          total[r].add(part[r]);
        }
      }
    }
    return total;
  }
}
