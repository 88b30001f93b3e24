package org.f2ba.solver;

import java.util.List;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.Draw;
import org.f2ba.engine.Evaluation;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.KeptX;
import org.f2ba.engine.LossRequest;
import org.f2ba.engine.XStep;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.SecondOrderLoss;
import org.f2ba.problem.SecondOrderTerm;
import org.f2ba.problem.SmoothTerm;

/**
 * The oracle of a bilevel problem, the one place where solvers and diagnostics have the engine
 * evaluate: values, gradients, Hessian-vector products ∇²yy g·v and mixed products ∇²xy g·v of
 * f and g (sample means plus sample-free terms) at the points asked for, whichever engine
 * computes the sums. One {@link #evaluate} is one pass over the data (one Spark job), however
 * many requests it holds. Counts oracle calls as the paper does: a request over a mini-batch of
 * size B costs B, over the full data 1; Hessian-vector and mixed products are counted apart,
 * each as one call.
 */
public final class BilevelOracle {
  /**
   * The means over the samples of one request plus its level's sample-free term: the value and
   * the gradients asked for (null where not), or, along a direction v, ⟨∇y, v⟩, ∇²xy·v and
   * ∇²yy·v.
   */
  public record Derivatives(double value, double[] gradX, double[] gradY) {
  }

  /**
   * One draw of mini-batches, or one batch of a fixed partition: evaluations on the same batch
   * see the same samples.
   */
  public record Batch(Draw draw) {
  }

  /**
   * A pass that stepped x: each request's derivatives, the direction d taken (null where x is
   * kept with its rows), ‖d‖, and the new version of x where it is kept (else null).
   */
  public record Step(Derivatives[] derivatives, double[] direction, double directionNorm,
      KeptX keptX) {
  }

  /** The upper-level loss of y, and its statistics, on a whole dataset. */
  public record DatasetScore(double meanLoss, double[] meanStatistics) {
  }

  private final BilevelProblem problem;
  private final GradientEngine engine;
  private final BatchSizes batchSizes;
  private final long seed;
  private final Arithmetic arithmetic;
  private long draws;
  private long oracleCalls;
  private long secondOrderCalls;

  /**
   * @param seed with the number of batches drawn, what fixes every mini-batch
   * @param arithmetic the precision and BLAS of the products
   */
  public BilevelOracle(BilevelProblem problem, GradientEngine engine, BatchSizes batchSizes,
      long seed, Arithmetic arithmetic) {
    this.problem = problem;
    this.engine = engine;
    this.batchSizes = batchSizes;
    this.seed = seed;
    this.arithmetic = arithmetic;
  }

  public BilevelProblem problem() {
    return problem;
  }

  /** The run's seed, which with the batches drawn fixes every mini-batch. */
  public long seed() {
    return seed;
  }

  /**
   * An oracle on the same engine and samples whose products run in double precision, with
   * counts of its own: for diagnostics that score beyond single precision's 7 digits.
   */
  public BilevelOracle inDoublePrecision() {
    return new BilevelOracle(problem, engine, batchSizes, seed, arithmetic.inDouble());
  }

  /**
   * Null where the lower level has the second derivatives that Hessian-vector and mixed
   * products need, else what lacks them.
   */
  public static String missingSecondOrder(BilevelProblem problem) {
    if (problem.yDomain() != null) {
      return "the lower level is constrained to a box";
    }
    if (problem.lowerLoss() != null && !(problem.lowerLoss() instanceof SecondOrderLoss)) {
      return "the lower-level loss has no second derivatives";
    }
    if (problem.lowerTerm() != null && !(problem.lowerTerm() instanceof SecondOrderTerm)) {
      return "the lower-level term has no second derivatives";
    }
    return null;
  }

  /** Refuses a problem whose lower level lacks the second derivatives {@code solver} needs. */
  public void requireSecondOrder(String solver) {
    String missing = missingSecondOrder(problem);
    if (missing != null) {
      throw new IllegalArgumentException(solver + " needs Hessian-vector products, but "
          + missing);
    }
  }

  /** A new draw of mini-batches, for several evaluations that must see the same samples. */
  public Batch drawBatch() {
    return new Batch(Draw.random(draws++));
  }

  /**
   * Batch {@code part} of the fixed partition of each level's samples into {@code parts} batches
   * (the run's batch sizes do not apply to it); the same samples every time it is asked for.
   * Each request on it costs the number of samples it holds.
   */
  public Batch partitionBatch(int part, int parts) {
    return new Batch(Draw.partOf(part, parts));
  }

  /** One pass over a new draw of mini-batches: the derivatives of each request. */
  public Derivatives[] evaluate(double[] x, double[][] points, LossRequest... requests) {
    return evaluate(drawBatch(), x, points, requests);
  }

  /** One pass over the mini-batches of {@code batch}: the derivatives of each request. */
  public Derivatives[] evaluate(Batch batch, double[] x, double[][] points,
      LossRequest... requests) {
    return derivatives(batch, x, points, requests, engine.evaluate(evaluation(batch, x, points,
        requests)));
  }

  /**
   * A pass that also steps x: one pass over a new draw of mini-batches, the derivatives of each
   * request, then x ← x − η·d by {@code step}, d made from the requests' gradients in x (a
   * hyper-gradient estimate). Where x is on the driver ({@code x} not null) it is stepped in
   * place; where it is kept with its rows (null, see {@link #keepX}) the shards step it, the
   * same bit for bit, and the derivatives have no gradients in x.
   */
  public Step evaluateAndStep(double[] x, double[][] points, XStep step,
      LossRequest... requests) {
    Batch batch = drawBatch();
    if (x == null) {
      GradientEngine.Stepped stepped = engine.evaluateAndStep(evaluation(batch, null, points,
          requests), step);
      return new Step(derivatives(batch, null, points, requests, stepped.sums()), null,
          Math.sqrt(stepped.directionSquares()), stepped.x());
    }
    Derivatives[] derivatives = evaluate(batch, x, points, requests);
    double[][] gradX = new double[requests.length][];
    for (int r = 0; r < requests.length; r++) {
      gradX[r] = derivatives[r].gradX();
    }
    double[] direction = step.take(gradX, x);
    return new Step(derivatives, direction, Vectors.norm(direction), null);
  }

  /**
   * Has the engine keep {@code x}, which has one entry per sample, with the rows of those
   * samples: evaluations at a null x read it there, and {@link #evaluateAndStep} steps it there.
   * IllegalArgumentException where a sample-free term reads x, or the engine cannot keep it.
   */
  public KeptX keepX(double[] x) {
    for (SmoothTerm term : new SmoothTerm[] {problem.lowerTerm(), problem.upperTerm()}) {
      if (term != null && term.readsX()) {
        throw new IllegalArgumentException("a sample-free term reads x, which the driver then"
            + " needs whole");
      }
    }
    try {
      return engine.keepX(x);
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private Evaluation evaluation(Batch batch, double[] x, double[][] points,
      LossRequest[] requests) {
    return new Evaluation(x, points, List.of(requests), batch.draw(), seed, batchSizes,
        arithmetic);
  }

  /**
   * The derivatives of each request from the engine's sums: their means plus the level's
   * sample-free term, oracle calls counted.
   */
  private Derivatives[] derivatives(Batch batch, double[] x, double[][] points,
      LossRequest[] requests, LossSums[] sums) {
    Derivatives[] result = new Derivatives[requests.length];
    for (int r = 0; r < requests.length; r++) {
      LossRequest request = requests[r];
      long cost = sums[r].count == 0 || request.fullData() ? 1
          : batch.draw().isPartition() ? sums[r].count
          : batchSizes.of(request.role()) > 0 ? batchSizes.of(request.role()) : 1;
      LossSums means = sums[r].toMeans();
      double value = means.value;
      double[] y = points[request.point()];
      SmoothTerm term = term(request.role());
      if (request.hasDirection()) { // a Hessian-vector and a mixed product count as two
        secondOrderCalls += cost * Math.max(1, (request.gradX() ? 1 : 0)
            + (request.gradY() ? 1 : 0));
        if (term != null) {
          if (!(term instanceof SecondOrderTerm second)) {
            throw new IllegalArgumentException("the " + request.role() + " term has no"
                + " second derivatives");
          }
          value += second.evaluateAlong(x, y, points[request.direction()], means.gradX,
              means.gradY);
        }
      } else {
        oracleCalls += cost;
        if (term != null) {
          value += term.evaluate(x, y, means.gradX, means.gradY);
        }
      }
      result[r] = new Derivatives(value, means.gradX, means.gradY);
    }
    return result;
  }

  /**
   * One pass: the upper-level sample loss of y (without sample-free terms) on the whole of each
   * given dataset, with its statistics. Not counted as oracle calls: it evaluates, not solves.
   */
  public DatasetScore[] score(double[] x, double[] y, DataRole... roles) {
    LossRequest[] requests = new LossRequest[roles.length];
    for (int i = 0; i < roles.length; i++) {
      requests[i] = LossRequest.of(roles[i], 0).overAllSamples();
    }
    LossSums[] sums = engine.evaluate(new Evaluation(x, new double[][] {y}, List.of(requests),
        Draw.random(draws), seed, batchSizes, arithmetic));
    DatasetScore[] scores = new DatasetScore[roles.length];
    for (int i = 0; i < roles.length; i++) {
      LossSums means = sums[i].toMeans();
      scores[i] = new DatasetScore(means.value, means.statistics);
    }
    return scores;
  }

  /** Gradient (and value) oracle calls so far. */
  public long oracleCalls() {
    return oracleCalls;
  }

  /** Hessian-vector and mixed products so far, counted as gradient calls are. */
  public long secondOrderCalls() {
    return secondOrderCalls;
  }

  /** Batches drawn so far: the sampler's state. */
  public long draws() {
    return draws;
  }

  /** Continues from a checkpoint: the batches drawn and oracle calls made before it. */
  public void restore(long drawsSoFar, long oracleCallsSoFar, long secondOrderCallsSoFar) {
    this.draws = drawsSoFar;
    this.oracleCalls = oracleCallsSoFar;
    this.secondOrderCalls = secondOrderCallsSoFar;
  }

  private SmoothTerm term(DataRole role) {
    return switch (role) {
      case LOWER -> problem.lowerTerm();
      case UPPER -> problem.upperTerm();
      case TEST -> null;
    };
  }
}
