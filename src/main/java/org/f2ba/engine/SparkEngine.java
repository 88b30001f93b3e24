package org.f2ba.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.data.RangeRows;
import org.f2ba.data.TableRows;
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
 * <p>The cached RDD is built from partition numbers, so tasks stay small (an RDD made by
 * parallelizing the shards would carry each partition's data in every task of every job): shards
 * built on the driver reach their executors once, each as a broadcast of its own, and a lost
 * cached partition is rebuilt from its broadcast; shards described by their rows are built on
 * the executors, and rebuilt from the description; shards of tables are built from the blocks
 * the executors make as they read them ({@link TableSharding}), and rebuilt from the tables.
 */
public final class SparkEngine implements GradientEngine {
  private static final ClassTag<LossSums[]> RESULT = ClassTag$.MODULE$.apply(LossSums[].class);

  private final JavaSparkContext jsc;
  private final Broadcast<BilevelProblem> problem;
  private final List<Broadcast<Shard>> shardPieces;
  private final int numShards;
  private final JavaRDD<Shard> shards;
  private final Seq<Object> partitions;
  private final List<Blas.NativeLibrary> nativeLibraries;
  private long jobs;
  private Broadcast<double[]> shippedX;
  /** Set by {@link #describeJobs}; until then the caller's job group stays as it is. */
  private String jobGroup;
  private String jobDescription;
  private double[] shippedXValue;

  /** An engine over shards built here: each reaches its executor once, as a broadcast. */
  public SparkEngine(JavaSparkContext jsc, BilevelProblem problem, List<Shard> shardList) {
    this(jsc, problem, shardList.size(), broadcastEach(jsc, shardList));
  }

  /**
   * An engine whose executors build their own shards from {@code datasets}, which travel to
   * them as descriptions of rows (such as {@link org.f2ba.data.SyntheticRows}), not as rows: no
   * row passes through the driver, and a lost cached shard is built again from its description,
   * the same bit for bit.
   */
  public static SparkEngine buildingShardsOnExecutors(JavaSparkContext jsc,
      BilevelProblem problem, Map<DataRole, ? extends RangeRows> datasets, int numShards,
      int blockRows) {
    Map<DataRole, RangeRows> described = new EnumMap<>(DataRole.class);
    described.putAll(datasets);
    return new SparkEngine(jsc, problem, numShards, List.of(), numbered(jsc, numShards)
        .map(p -> Sharding.shard(described, p, numShards, blockRows)));
  }

  /**
   * An engine whose executors read {@code tables} with their Spark data sources and build the
   * shards from what they read (see {@link TableSharding}): no row passes through the driver, and
   * a lost cached shard is built again from the sources, the same bit for bit.
   */
  public static SparkEngine readingTablesOnExecutors(JavaSparkContext jsc,
      BilevelProblem problem, Map<DataRole, TableRows> tables, int numShards, int blockRows) {
    return new SparkEngine(jsc, problem, numShards, List.of(),
        TableSharding.onExecutors(tables, numShards, blockRows));
  }

  private SparkEngine(JavaSparkContext jsc, BilevelProblem problem, int numShards,
      List<Broadcast<Shard>> pieces) {
    this(jsc, problem, numShards, pieces, numbered(jsc, numShards)
        .map(p -> pieces.get(p).value()));
  }

  /** @param shards shard p in partition p, not yet cached */
  private SparkEngine(JavaSparkContext jsc, BilevelProblem problem, int numShards,
      List<Broadcast<Shard>> pieces, JavaRDD<Shard> shards) {
    this.jsc = jsc;
    this.problem = jsc.broadcast(problem);
    this.shardPieces = pieces;
    this.numShards = numShards;
    this.partitions = CollectionConverters.asScala(new ArrayList<Object>(shardNumbers(numShards)))
        .toSeq();
    this.shards = shards.setName("bilevel shards").persist(StorageLevel.MEMORY_ONLY());
    // Caches the shards, and finds out on which BLAS each executor computes.
    this.nativeLibraries = this.shards.map(shard -> Blas.nativeLibrary()).collect().stream()
        .distinct().toList();
    jobs = 1;
  }

  /** The partition numbers 0, ..., numShards - 1, one a partition. */
  private static JavaRDD<Integer> numbered(JavaSparkContext jsc, int numShards) {
    return jsc.parallelize(shardNumbers(numShards), numShards);
  }

  private static List<Integer> shardNumbers(int numShards) {
    List<Integer> numbers = new ArrayList<>();
    for (int p = 0; p < numShards; p++) {
      numbers.add(p);
    }
    return numbers;
  }

  private static List<Broadcast<Shard>> broadcastEach(JavaSparkContext jsc, List<Shard> shards) {
    List<Broadcast<Shard>> pieces = new ArrayList<>();
    for (Shard shard : shards) {
      pieces.add(jsc.broadcast(shard));
    }
    return pieces;
  }

  @Override
  public LossSums[] evaluate(Evaluation evaluation) {
    if (jobGroup != null) {
      jsc.setJobGroup(jobGroup, jobDescription + ": " + evaluation.requests().stream()
          .map(LossRequest::describe).collect(Collectors.joining(", ")), false);
    }
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
    return numShards;
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
  public void describeJobs(String group, String description) {
    jobGroup = group;
    jobDescription = description;
  }

  /** The id of the cached RDD of the shards. */
  int shardsRddId() {
    return shards.id();
  }

  @Override
  public long cachedBytes() {
    return storage().mapToLong(RDDInfo::memSize).sum();
  }

  @Override
  public int uncachedShards() {
    return numShards - storage().mapToInt(RDDInfo::numCachedPartitions).sum();
  }

  private Stream<RDDInfo> storage() {
    return Arrays.stream(jsc.sc().getRDDStorageInfo()).filter(info -> info.id() == shards.id());
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
