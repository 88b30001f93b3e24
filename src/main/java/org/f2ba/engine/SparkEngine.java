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
 * changes once per outer iteration while y and z change at every inner step, travels in a
 * broadcast of its own, reused until x changes and then destroyed. Where x has one entry per
 * sample (hyper-cleaning's weights), it travels as {@link XShipping} says: whole, or each
 * shard's entries in a broadcast of their own; either way a task returns the gradients in x of
 * its own samples only.
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
  private final int dimX;
  private final DataRole perSampleRole;
  private XShipping xShipping = XShipping.PER_SHARD;
  private long jobs;
  /** The broadcasts of the last x: one of all of it, or one of each shard's entries. */
  private List<Broadcast<double[]>> shippedX = List.of();
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
    this.dimX = problem.dimX();
    this.perSampleRole = Shard.perSampleRole(problem);
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
    return GradientEngine.sumInOrder(inOrder, dimX);
  }

  /**
   * Where x has one entry per sample, how it reaches the executors from now on (per shard until
   * this is called); elsewhere x travels whole whatever this says.
   */
  public void shipPerSampleX(XShipping shipping) {
    xShipping = shipping;
  }

  /**
   * What every task of an evaluation runs: the evaluation on the task's shard, with what the
   * shard reads of x from its broadcast (of all of x, or of its own entries). A class of its own
   * rather than a lambda, and run by {@code runJob} rather than {@code map} and {@code collect}:
   * Spark's closure cleaner analyzes every lambda of a job, its own included, by reading class
   * files with ASM, which took a tenth of a full-batch step.
   */
  private static final class EvaluateShard
      extends AbstractFunction2<TaskContext, Iterator<Shard>, LossSums[]>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<BilevelProblem> problem;
    private final List<Broadcast<double[]>> x;
    private final Evaluation evaluation;

    /** @param x one broadcast of all of x, or one of each shard's entries, in shard order */
    EvaluateShard(Broadcast<BilevelProblem> problem, List<Broadcast<double[]>> x,
        Evaluation evaluation) {
      this.problem = problem;
      this.x = x;
      this.evaluation = evaluation;
    }

    @Override
    public LossSums[] apply(TaskContext context, Iterator<Shard> shards) {
      Shard shard = shards.next();
      double[] xSeen = x.size() == 1 ? shard.xSeen(problem.value(), x.get(0).value())
          : x.get(context.partitionId()).value(); // shard p is partition p
      return shard.evaluate(problem.value(), evaluation, xSeen);
    }
  }

  /**
   * The broadcasts of x: the last ones while x is unchanged, else new ones, of all of x or,
   * where x has one entry per sample and is shipped per shard, of each shard's entries.
   */
  private List<Broadcast<double[]>> ship(double[] x) {
    if (shippedX.isEmpty() || !Arrays.equals(shippedXValue, x)) {
      shippedX.forEach(Broadcast::destroy);
      shippedXValue = x.clone();
      List<Broadcast<double[]>> pieces = new ArrayList<>();
      if (perSampleRole != null && xShipping == XShipping.PER_SHARD && numShards > 1) {
        int[] starts = Sharding.starts(x.length, numShards);
        for (int p = 0; p < numShards; p++) {
          pieces.add(jsc.broadcast(Arrays.copyOfRange(x, starts[p], starts[p + 1])));
        }
      } else {
        pieces.add(jsc.broadcast(shippedXValue));
      }
      shippedX = pieces;
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
    shippedX.forEach(Broadcast::destroy);
    shardPieces.forEach(Broadcast::destroy);
    problem.destroy();
  }
}
