package org.f2ba.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.f2ba.data.DataBlock;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.LossSums;
import org.f2ba.problem.SampleLoss;
import org.f2ba.problem.SampleLoss.XDependence;
import org.f2ba.problem.SecondOrderLoss;

/**
 * The part of every dataset that one partition holds, as blocks, and the computation that
 * every engine runs on it: the loss sums of an {@link Evaluation} over this shard's share of the
 * mini-batches.
 */
public final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<DataBlock.Selector> SELECTOR =
      ThreadLocal.withInitial(DataBlock.Selector::new);

  private final int index;
  private final Map<DataRole, List<DataBlock>> blocks;
  private final Map<DataRole, int[]> shardSizes;

  /**
   * @param index this shard's position among all shards
   * @param blocks this shard's blocks of each role
   * @param shardSizes for each role, the number of rows of every shard, in shard order
   */
  public Shard(int index, Map<DataRole, List<DataBlock>> blocks,
      Map<DataRole, int[]> shardSizes) {
    this.index = index;
    this.blocks = blocks;
    this.shardSizes = shardSizes;
  }

  public int rows(DataRole role) {
    return shardSizes.get(role)[index];
  }

  /** The row of {@code role}'s dataset this shard's rows start at. */
  public int firstRow(DataRole role) {
    int[] sizes = shardSizes.get(role);
    int first = 0;
    for (int p = 0; p < index; p++) {
      first += sizes[p];
    }
    return first;
  }

  /**
   * The role whose loss depends on x per sample (x holding one entry per row of its dataset),
   * or null where none does; the other level's loss must then not depend on x.
   */
  public static DataRole perSampleRole(BilevelProblem problem) {
    DataRole found = null;
    for (DataRole role : List.of(DataRole.LOWER, DataRole.UPPER)) {
      SampleLoss loss = loss(problem, role);
      if (loss != null && loss.xDependence() == XDependence.PER_SAMPLE) {
        found = role;
      }
    }
    SampleLoss other = found == null ? null
        : loss(problem, found == DataRole.LOWER ? DataRole.UPPER : DataRole.LOWER);
    if (other != null && other.xDependence() != XDependence.NONE) {
      throw new IllegalArgumentException("x has one entry per " + found + " sample, but the"
          + " other level's loss depends on x too");
    }
    return found;
  }

  /**
   * What this shard's losses read of {@code x}: all of it, or where a loss depends on x per
   * sample, a copy of the entries of this shard's rows.
   */
  public double[] xSeen(BilevelProblem problem, double[] x) {
    DataRole role = perSampleRole(problem);
    if (role == null) {
      return x;
    }
    int first = firstRow(role);
    return Arrays.copyOfRange(x, first, first + rows(role));
  }

  /**
   * The loss sums of each request, over this shard's rows of the evaluation's batches, at
   * {@code xSeen} (as {@link #xSeen} cuts it from x; the evaluation's own x is not read); the
   * gradients in x cover what the request's loss depends on. Requests on the same samples (same
   * role, both on the batch or both on all data) are evaluated together, in one pass over each
   * block; a request along a direction on its own.
   */
  public LossSums[] evaluate(BilevelProblem problem, Evaluation evaluation, double[] xSeen) {
    DataRole perSample = perSampleRole(problem);
    if (perSample != null && xSeen.length != rows(perSample)) {
      throw new IllegalArgumentException("shard " + index + " has " + rows(perSample) + " "
          + perSample + " rows, each with an entry of x, but was given " + xSeen.length);
    }
    List<LossRequest> requests = evaluation.requests();
    LossSums[] result = new LossSums[requests.size()];
    Map<Object, List<Integer>> groups = new LinkedHashMap<>();
    for (int r = 0; r < result.length; r++) {
      LossRequest request = requests.get(r);
      SampleLoss loss = loss(problem, request.role());
      XDependence dependence = loss == null ? XDependence.NONE : loss.xDependence();
      int xFrom = dependence == XDependence.PER_SAMPLE ? firstRow(request.role()) : 0;
      int xLength = switch (dependence) {
        case NONE -> 0;
        case WHOLE -> problem.dimX();
        case PER_SAMPLE -> rows(request.role());
      };
      result[r] = new LossSums(xFrom, xLength, problem.dimY(), request.gradX(),
          request.gradY(), loss == null ? 0 : loss.numStatistics());
      if (loss != null) {
        Object key = request.hasDirection() ? r : List.of(request.role(),
            request.fullData());
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
    }
    for (List<Integer> group : groups.values()) {
      LossRequest first = requests.get(group.get(0));
      Iterable<DataBlock> rows = first.fullData()
          ? blocks.getOrDefault(first.role(), List.of())
          : batch(first.role(), evaluation);
      if (first.hasDirection()) {
        accumulateAlong(problem, evaluation, xSeen, first, rows, result[group.get(0)]);
      } else {
        accumulateTogether(problem, evaluation, xSeen, group, rows, result);
      }
    }
    return result;
  }

  /**
   * What a shard returns from an evaluation that steps its entries of x (kept with its rows):
   * the sums without their gradients in x, the entries after the step, and Σ d² and Σ x² over
   * them.
   */
  public record Stepped(LossSums[] sums, double[] x, double directionSquares, double xSquares)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    /** These results without the entries of x, for the driver. */
    public Stepped withoutX() {
      return new Stepped(sums, null, directionSquares, xSquares);
    }
  }

  /**
   * Evaluates at {@code xSeen}, this shard's entries of an x with one entry per sample, then
   * steps a copy of them by {@code step} from the requests' mean gradients in x over these
   * entries: the shard's sums divided by the samples all shards sum together, as the driver
   * divides the sums of all shards, so that the step is the driver's bit for bit.
   */
  public Stepped evaluateAndStep(BilevelProblem problem, Evaluation evaluation, double[] xSeen,
      XStep step) {
    DataRole perSample = perSampleRole(problem);
    LossSums[] sums = evaluate(problem, evaluation, xSeen);
    double[][] meanGradX = new double[sums.length][];
    LossSums[] returned = new LossSums[sums.length];
    for (int r = 0; r < sums.length; r++) {
      if (sums[r].gradX != null) {
        LossSums over = new LossSums(firstRow(perSample), rows(perSample), 0, true, false,
            sums[r].statistics.length);
        over.add(sums[r]); // zeros, plus the entries of a loss that depends on x per sample
        over.count = samples(evaluation.requests().get(r), evaluation);
        meanGradX[r] = over.toMeans().gradX;
      }
      returned[r] = sums[r].withoutGradX();
    }
    double[] x = xSeen.clone();
    double[] d = step.take(meanGradX, x);
    return new Stepped(returned, x, squares(d), squares(x));
  }

  /** Σ v². */
  static double squares(double[] v) {
    double sum = 0;
    for (double a : v) {
      sum += a * a;
    }
    return sum;
  }

  /**
   * The samples a request sums over all shards together, its count once the shards' sums are
   * added: its role's whole dataset, or a random draw's batch.
   */
  private long samples(LossRequest request, Evaluation evaluation) {
    long total = Arrays.stream(shardSizes.getOrDefault(request.role(), new int[0])).sum();
    if (request.fullData()) {
      return total;
    }
    if (evaluation.draw().isPartition()) {
      throw new IllegalArgumentException("x kept with its rows is stepped on random batches"
          + " or full data, not on a fixed partition's batches");
    }
    int batch = evaluation.batchSizes().of(request.role());
    return batch == 0 ? total : batch;
  }

  /** The sums of a group of requests on the same rows, in one pass over each block. */
  private static void accumulateTogether(BilevelProblem problem, Evaluation evaluation,
      double[] x, List<Integer> group, Iterable<DataBlock> rows, LossSums[] result) {
    List<LossRequest> requests = evaluation.requests();
    double[][] points = new double[group.size()][];
    LossSums[] sums = new LossSums[group.size()];
    for (int g = 0; g < points.length; g++) {
      points[g] = evaluation.points()[requests.get(group.get(g)).point()];
      sums[g] = result[group.get(g)];
    }
    SampleLoss loss = loss(problem, requests.get(group.get(0)).role());
    for (DataBlock block : rows) {
      loss.accumulate(block, evaluation.arithmetic(), x, points, sums);
    }
  }

  private static void accumulateAlong(BilevelProblem problem, Evaluation evaluation,
      double[] x, LossRequest request, Iterable<DataBlock> rows, LossSums sums) {
    if (!(loss(problem, request.role()) instanceof SecondOrderLoss loss)) {
      throw new IllegalArgumentException("the " + request.role() + " loss has no second-order"
          + " derivatives");
    }
    double[] y = evaluation.points()[request.point()];
    double[] v = evaluation.points()[request.direction()];
    for (DataBlock block : rows) {
      loss.accumulateAlong(block, evaluation.arithmetic(), x, y, v, sums);
    }
  }

  private static SampleLoss loss(BilevelProblem problem, DataRole role) {
    return role == DataRole.LOWER ? problem.lowerLoss() : problem.upperLoss();
  }

  /**
   * This shard's rows of the evaluation's mini-batch of {@code role} (a random draw, or a part of
   * the fixed partition), block by block, each copied when it is reached into the thread's
   * {@link DataBlock.Selector} and valid until the next is.
   */
  private Iterable<DataBlock> batch(DataRole role, Evaluation evaluation) {
    List<DataBlock> all = blocks.getOrDefault(role, List.of());
    Draw draw = evaluation.draw();
    int[] rows;
    if (draw.isPartition()) {
      if (all.isEmpty()) {
        return all;
      }
      int total = Arrays.stream(shardSizes.get(role)).sum();
      if (draw.parts() > total) {
        throw new IllegalArgumentException("cannot split the " + total + " " + role
            + " samples into " + draw.parts() + " batches");
      }
      rows = BatchSampler.part(draw.part(), draw.parts(), rows(role), evaluation.seed(), role,
          index);
    } else {
      int batchSize = evaluation.batchSizes().of(role);
      if (batchSize == 0) {
        return all;
      }
      int share = BatchSampler.share(batchSize, shardSizes.get(role), index);
      rows = BatchSampler.draw(share, rows(role), evaluation.seed(), draw.number(), role,
          index);
    }
    return () -> new Iterator<>() {
      private final DataBlock.Selector selector = SELECTOR.get();
      /** The block the next drawn row is looked for in, and its first row. */
      private int block;
      private int blockStart;
      /** The next drawn row. */
      private int next;

      @Override
      public boolean hasNext() {
        return next < rows.length;
      }

      @Override
      public DataBlock next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        while (rows[next] >= blockStart + all.get(block).rows()) {
          blockStart += all.get(block++).rows();
        }
        int end = blockStart + all.get(block).rows();
        int from = next;
        while (next < rows.length && rows[next] < end) {
          next++;
        }
        return selector.select(all.get(block), blockStart, rows, from, next);
      }
    };
  }
}
