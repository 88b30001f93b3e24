package org.f2ba.engine;

import java.util.List;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.problem.LossSums;

/**
 * Evaluates the shards in this process, in parallel on the common fork-join pool, and adds their
 * results in shard order: the same sums as the Spark engine, for small problems and tests.
 */
public final class LocalEngine implements GradientEngine {
  private final BilevelProblem problem;
  private final List<Shard> shards;

  public LocalEngine(BilevelProblem problem, List<Shard> shards) {
    this.problem = problem;
    this.shards = shards;
  }

  @Override
  public LossSums[] evaluate(Evaluation evaluation) {
    List<LossSums[]> parts = shards.parallelStream()
        .map(shard -> shard.evaluate(problem, evaluation, shard.xSeen(problem, evaluation.x())))
        .toList();
    return GradientEngine.sumInOrder(parts, problem.dimX());
  }

  @Override
  public int shards() {
    return shards.size();
  }

  @Override
  public long jobs() {
    return 0;
  }

  @Override
  public List<Blas.NativeLibrary> nativeLibraries() {
    return List.of(Blas.nativeLibrary());
  }

  @Override
  public void describeJobs(String group, String description) {
  }

  @Override
  public long cachedBytes() {
    return 0;
  }

  @Override
  public long cachedBytesOnDisk() {
    return 0;
  }

  @Override
  public int uncachedShards() {
    return 0;
  }

  @Override
  public void close() {
  }
}
