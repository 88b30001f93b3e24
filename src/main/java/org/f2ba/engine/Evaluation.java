package org.f2ba.engine;

import java.io.Serializable;
import java.util.List;
import org.f2ba.problem.Arithmetic;

/**
 * What the driver ships to every shard for one evaluation: x (null: the x the engine keeps with
 * its rows, see {@link GradientEngine#keepX}), the points y at which losses are taken, the loss
 * sums wanted, the draw that, with the seed, fixes the mini-batches, and the arithmetic of the
 * products.
 */
public record Evaluation(double[] x, double[][] points, List<LossRequest> requests, Draw draw,
    long seed, BatchSizes batchSizes, Arithmetic arithmetic) implements Serializable {

  /**
   * The same evaluation on copies of the points: for an evaluation kept in a lineage, which
   * Spark may ship again, to recompute a lost partition, after the caller has changed them.
   */
  public Evaluation withPointsCopied() {
    double[][] copies = new double[points.length][];
    for (int i = 0; i < points.length; i++) {
      copies[i] = points[i].clone();
    }
    return new Evaluation(x, copies, requests, draw, seed, batchSizes, arithmetic);
  }

  /** The same evaluation at another x (null to ship x apart). */
  public Evaluation withX(double[] newX) {
    return new Evaluation(newX, points, requests, draw, seed, batchSizes, arithmetic);
  }
}
