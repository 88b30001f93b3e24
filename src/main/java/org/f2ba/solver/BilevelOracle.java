package org.f2ba.solver;

import java.util.List;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.Evaluation;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LossRequest;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.SmoothTerm;

/**
 * The first-order oracle of a bilevel problem: gradients of f and g (sample means plus
 * sample-free terms) at the points the solver asks for, whichever engine computes the sums.
 * Counts oracle calls as the paper does: a mini-batch gradient of size B costs B, a gradient over
 * the full data costs 1.
 */
public final class BilevelOracle {
  /** Gradients in y of one inner step: ∇y g(x, z), ∇y f(x, y) and ∇y g(x, y). */
  public record InnerGradients(double[] lowerAtZ, double[] upperAtY, double[] lowerAtY) {
  }

  /** Gradients in x for the hyper-gradient estimate: ∇x f(x, y), ∇x g(x, y), ∇x g(x, z). */
  public record OuterGradients(double[] upperAtY, double[] lowerAtY, double[] lowerAtZ) {
  }

  /** The upper-level loss of y, and its statistics, on a whole dataset. */
  public record DatasetScore(double meanLoss, double[] meanStatistics) {
  }

  private final BilevelProblem problem;
  private final GradientEngine engine;
  private final BatchSizes batchSizes;
  private final long seed;
  private long draws;
  private long oracleCalls;

  public BilevelOracle(BilevelProblem problem, GradientEngine engine, BatchSizes batchSizes,
      long seed) {
    this.problem = problem;
    this.engine = engine;
    this.batchSizes = batchSizes;
    this.seed = seed;
  }

  public BilevelProblem problem() {
    return problem;
  }

  /** One Spark job: the gradients of Algorithm 3, lines 6–7, on one draw of batches. */
  public InnerGradients innerGradients(double[] x, double[] y, double[] z) {
    LossSums[] sums = evaluate(x, new double[][] {z, y}, List.of(
        new LossRequest(DataRole.LOWER, 0, false, true, false),
        new LossRequest(DataRole.UPPER, 1, false, true, false),
        new LossRequest(DataRole.LOWER, 1, false, true, false)));
    return new InnerGradients(
        gradY(sums[0], problem.lowerTerm(), x, z),
        gradY(sums[1], problem.upperTerm(), x, y),
        gradY(sums[2], problem.lowerTerm(), x, y));
  }

  /**
   * One Spark job: the gradients of Algorithm 3, line 9. Both ∇x g terms use the same samples,
   * as their difference is divided by σ.
   */
  public OuterGradients outerGradients(double[] x, double[] y, double[] z) {
    LossSums[] sums = evaluate(x, new double[][] {y, z}, List.of(
        new LossRequest(DataRole.UPPER, 0, true, false, false),
        new LossRequest(DataRole.LOWER, 0, true, false, false),
        new LossRequest(DataRole.LOWER, 1, true, false, false)));
    return new OuterGradients(
        gradX(sums[0], problem.upperTerm(), x, y),
        gradX(sums[1], problem.lowerTerm(), x, y),
        gradX(sums[2], problem.lowerTerm(), x, z));
  }

  /** One Spark job: the upper-level loss of y on the whole of each given dataset. */
  public DatasetScore[] score(double[] x, double[] y, DataRole... roles) {
    LossRequest[] requests = new LossRequest[roles.length];
    for (int i = 0; i < roles.length; i++) {
      requests[i] = new LossRequest(roles[i], 0, false, false, true);
    }
    LossSums[] sums = engine.evaluate(new Evaluation(x, new double[][] {y}, List.of(requests),
        draws, seed, batchSizes));
    DatasetScore[] scores = new DatasetScore[roles.length];
    for (int i = 0; i < roles.length; i++) {
      LossSums means = sums[i].toMeans();
      scores[i] = new DatasetScore(means.value, means.statistics);
    }
    return scores;
  }

  /** Oracle calls so far. */
  public long oracleCalls() {
    return oracleCalls;
  }

  /** Batches drawn so far: the sampler's state. */
  public long draws() {
    return draws;
  }

  /** Continues from a checkpoint: the batches drawn and oracle calls made before it. */
  public void restore(long drawsSoFar, long oracleCallsSoFar) {
    this.draws = drawsSoFar;
    this.oracleCalls = oracleCallsSoFar;
  }

  private LossSums[] evaluate(double[] x, double[][] points, List<LossRequest> requests) {
    LossSums[] sums = engine.evaluate(new Evaluation(x, points, requests, draws, seed,
        batchSizes));
    draws++;
    for (int r = 0; r < sums.length; r++) {
      int batch = batchSizes.of(requests.get(r).role());
      boolean hasData = sums[r].count > 0;
      oracleCalls += hasData && batch > 0 ? batch : 1;
    }
    return sums;
  }

  private static double[] gradY(LossSums sums, SmoothTerm term, double[] x, double[] y) {
    double[] grad = sums.toMeans().gradY;
    if (term != null) {
      term.evaluate(x, y, null, grad);
    }
    return grad;
  }

  private static double[] gradX(LossSums sums, SmoothTerm term, double[] x, double[] y) {
    double[] grad = sums.toMeans().gradX;
    if (term != null) {
      term.evaluate(x, y, grad, null);
    }
    return grad;
  }
}
