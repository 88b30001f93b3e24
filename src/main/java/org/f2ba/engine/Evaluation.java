package org.f2ba.engine;

import java.io.Serializable;
import java.util.List;
import org.f2ba.problem.Arithmetic;

/**
 * What the driver ships to every shard for one evaluation: x, the points y at which losses are
 * taken, the loss sums wanted, the draw that, with the seed, fixes the mini-batches, and the
 * arithmetic of the products.
 */
public record Evaluation(double[] x, double[][] points, List<LossRequest> requests, Draw draw,
    long seed, BatchSizes batchSizes, Arithmetic arithmetic) implements Serializable {

  /** The same evaluation at another x (null to ship x apart). */
  public Evaluation withX(double[] newX) {
    return new Evaluation(newX, points, requests, draw, seed, batchSizes, arithmetic);
  }
}
