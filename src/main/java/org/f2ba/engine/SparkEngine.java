package org.f2ba.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.problem.LossSums;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Evaluates the shards on Spark executors: the shards are one cached RDD with one shard per
 * partition; each evaluation runs one job in which every partition computes its sums, and adds
 * the partition results on the driver in partition order. The points travel in the job's
 * closure (which Spark ships as the job's task binary, a broadcast every job has); x, which
 * changes once per outer iteration while y and z change at every inner step (and, in
 * hyper-cleaning, has one entry per training sample), travels in a broadcast of its own, reused
 * until x changes and then destroyed.
 *
 * <p>Each shard reaches its executor once, as a broadcast of its own, and the cached RDD is built
 * from partition numbers: tasks then stay small (an RDD made by parallelizing the shards would
 * carry each partition's data in every task of every job), and a lost cached partition is rebuilt
 * from its broadcast.
 */
public final class SparkEngine implements GradientEngine {
  private static final ClassTag<LossSums[]> RESULT = ClassTag$.MODULE$.apply(LossSums[].class);

  private final JavaSparkContext jsc;
  private final Broadcast<BilevelProblem> problem;
  private final List<Broadcast<Shard>> shardPieces;
  private final JavaRDD<Shard> shards;
  private final Seq<Object> partitions;
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
    this.partitions = CollectionConverters.asScala(new ArrayList<Object>(partitions)).toSeq();
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
    Object[] parts = (Object[]) jsc.sc().runJob(shards.rdd(), new EvaluateShard(problem,
        ship(evaluation.x()), evaluation.withX(null)), partitions, RESULT);
    jobs++;
    List<LossSums[]> inOrder = new ArrayList<>();
    for (Object part : parts) {
      inOrder.add((LossSums[]) part);
    }
    return GradientEngine.sumInOrder(inOrder);
  }

  /**
   * What every task of an evaluation runs: the evaluation, with x from its broadcast, on the
   * task's shard. A class of its own rather than a lambda, and run by {@code runJob} rather
   * than {@code map} and {@code collect}: Spark's closure cleaner analyzes every lambda of a job,
   * its own included, by reading class files with ASM, which took a tenth of a full-batch step.
   */
  private static final class EvaluateShard
      extends AbstractFunction2<TaskContext, Iterator<Shard>, LossSums[]>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<BilevelProblem> problem;
    private final Broadcast<double[]> x;
    private final Evaluation evaluation;

    EvaluateShard(Broadcast<BilevelProblem> problem, Broadcast<double[]> x,
        Evaluation evaluation) {
      this.problem = problem;
      this.x = x;
      this.evaluation = evaluation;
    }

    @Override
    public LossSums[] apply(TaskContext context, Iterator<Shard> shard) {
      return shard.next().evaluate(problem.value(), evaluation.withX(x.value()));
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
