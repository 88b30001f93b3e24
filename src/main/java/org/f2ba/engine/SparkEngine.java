package org.f2ba.engine;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.LossSums;

/**
 * Evaluates the shards on Spark executors: the shards are one cached RDD with one shard per
 * partition; each evaluation broadcasts x and the points, runs one job in which every partition
 * computes its sums, and adds the partition results on the driver in partition order.
 */
public final class SparkEngine implements GradientEngine {
  private final JavaSparkContext jsc;
  private final Broadcast<BilevelProblem> problem;
  private final JavaRDD<Shard> shards;
  private long jobs;

  public SparkEngine(JavaSparkContext jsc, BilevelProblem problem, List<Shard> shardList) {
    this.jsc = jsc;
    this.problem = jsc.broadcast(problem);
    this.shards = jsc.parallelize(shardList, shardList.size())
        .setName("bilevel shards")
        .persist(StorageLevel.MEMORY_ONLY());
    shards.count();
    jobs = 1;
  }

  @Override
  public LossSums[] evaluate(Evaluation evaluation) {
    Broadcast<Evaluation> shipped = jsc.broadcast(evaluation);
    Broadcast<BilevelProblem> problemRef = problem;
    try {
      List<LossSums[]> parts = shards
          .map(shard -> shard.evaluate(problemRef.value(), shipped.value()))
          .collect();
      jobs++;
      return GradientEngine.sumInOrder(parts);
    } finally {
      shipped.destroy();
    }
  }

  @Override
  public long jobs() {
    return jobs;
  }

  @Override
  public void close() {
    shards.unpersist(false);
    problem.destroy();
  }
}
