package org.f2ba.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.problem.LossSums;

/**
 * Evaluates the shards on Spark executors: the shards are one cached RDD with one shard per
 * partition; each evaluation broadcasts x and the points, runs one job in which every partition
 * computes its sums, and adds the partition results on the driver in partition order. x, which
 * changes once per outer iteration while y and z change at every inner step, travels in a
 * broadcast of its own, reused until x changes and then destroyed.
 *
 * <p>Each shard reaches its executor once, as a broadcast of its own, and the cached RDD is built
 * from partition numbers: tasks then stay small (an RDD made by parallelizing the shards would
 * carry each partition's data in every task of every job), and a lost cached partition is rebuilt
 * from its broadcast.
 */
public final class SparkEngine implements GradientEngine {
  private final JavaSparkContext jsc;
  private final Broadcast<BilevelProblem> problem;
  private final List<Broadcast<Shard>> shardPieces;
  private final JavaRDD<Shard> shards;
  private final List<Blas.NativeLibrary> nativeLibraries;
  private long jobs;
  private Broadcast<double[]> shippedX;
  private double[] shippedXValue;

  public SparkEngine(JavaSparkContext jsc, BilevelProblem problem, List<Shard> shardList) {
    this.jsc = jsc;
    this.problem = jsc.broadcast(problem);
    List<Broadcast<Shard>> pieces = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    for (Shard shard : shardList) {
      partitions.add(pieces.size());
      pieces.add(jsc.broadcast(shard));
    }
    this.shardPieces = pieces;
    this.shards = jsc.parallelize(partitions, partitions.size())
        .map(p -> pieces.get(p).value())
        .setName("bilevel shards")
        .persist(StorageLevel.MEMORY_ONLY());
    // Caches the shards, and finds out on which BLAS each executor computes.
    this.nativeLibraries = shards.map(shard -> Blas.nativeLibrary()).collect().stream()
        .distinct().toList();
    jobs = 1;
  }

  @Override
  public LossSums[] evaluate(Evaluation evaluation) {
    Broadcast<double[]> x = ship(evaluation.x());
    Broadcast<Evaluation> shipped = jsc.broadcast(evaluation.withX(null));
    Broadcast<BilevelProblem> problemRef = problem;
    try {
      List<LossSums[]> parts = shards
          .map(shard -> shard.evaluate(problemRef.value(), shipped.value().withX(x.value())))
          .collect();
      jobs++;
      return GradientEngine.sumInOrder(parts);
    } finally {
      shipped.destroy();
    }
  }

  /** The broadcast of x: the last one while x is unchanged, else a new one. */
  private Broadcast<double[]> ship(double[] x) {
    if (shippedX == null || !Arrays.equals(shippedXValue, x)) {
      if (shippedX != null) {
        shippedX.destroy();
      }
      shippedXValue = x.clone();
      shippedX = jsc.broadcast(shippedXValue);
    }
    return shippedX;
  }

  @Override
  public int shards() {
    return shardPieces.size();
  }

  @Override
  public long jobs() {
    return jobs;
  }

  @Override
  public List<Blas.NativeLibrary> nativeLibraries() {
    return nativeLibraries;
  }

  @Override
  public void close() {
    shards.unpersist(false);
    if (shippedX != null) {
      shippedX.destroy();
    }
    shardPieces.forEach(Broadcast::destroy);
    problem.destroy();
  }
}
