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
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.api.java.function.Function;
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
  /** The local property in which Spark's UI finds a job's description. */
  private static final String JOB_DESCRIPTION = "spark.job.description";

  private final JavaSparkContext jsc;
  private final Broadcast<BilevelProblem> problem;
  private final List<Broadcast<Shard>> shardPieces;
  private final int numShards;
  private final JavaRDD<Shard> shards;
  private final Seq<Object> partitions;
  /** Where Spark keeps the cached shards and x's versions; see {@link #storeShards}. */
  private StorageLevel storageLevel = StorageLevel.MEMORY_ONLY();
  /** Found by the job that caches the shards (the first the engine runs); null until then. */
  private List<Blas.NativeLibrary> nativeLibraries;
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
  /** Where x is kept with its rows: the shards beside their entries of x's current version. */
  private JavaRDD<ShardWithX> keptX;
  /** The cached RDD the current version's entries come from (a step's results, or the start). */
  private JavaRDD<?> keptXCache;
  private int keptXCheckpointEvery;
  private int keptXSteps;

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
    this.shards = shards.setName("bilevel shards");
  }

  /**
   * Where Spark keeps the cached shards (and, where x is kept with its rows, x's versions):
   * {@link StorageLevel#MEMORY_ONLY} until this is called, where a partition that does not fit
   * the executors' storage memory is built again at every job that needs it; with
   * {@link StorageLevel#MEMORY_AND_DISK} it is written to the executors' local disks and read
   * back from there. Only before the first evaluation, which caches the shards.
   */
  public SparkEngine storeShards(StorageLevel level) {
    if (nativeLibraries != null) {
      throw new IllegalStateException("the shards are already cached");
    }
    storageLevel = level;
    return this;
  }

  /**
   * The shards, cached by the first call, in a job that also finds out on which BLAS each
   * executor computes.
   */
  private JavaRDD<Shard> cachedShards() {
    if (nativeLibraries == null) {
      shards.persist(storageLevel);
      String description = jsc.getLocalProperty(JOB_DESCRIPTION);
      jsc.setJobDescription("caching the data: " + numShards + " partitions, "
          + storageLevel.description());
      nativeLibraries = shards.map(shard -> Blas.nativeLibrary()).collect().stream().distinct()
          .toList();
      jsc.setLocalProperty(JOB_DESCRIPTION, description);
      jobs++;
    }
    return shards;
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
    describe(evaluation, "");
    Object[] parts = evaluation.x() == null
        ? (Object[]) jsc.sc().runJob(kept().rdd(), new EvaluateWithKeptX(problem, evaluation),
            partitions, RESULT)
        : (Object[]) jsc.sc().runJob(cachedShards().rdd(), new EvaluateShard(problem,
            ship(evaluation.x()), evaluation.withX(null)), partitions, RESULT);
    jobs++;
    List<LossSums[]> inOrder = new ArrayList<>();
    for (Object part : parts) {
      inOrder.add((LossSums[]) part);
    }
    return GradientEngine.sumInOrder(inOrder, dimX);
  }

  @Override
  public boolean keepsXWithRows() {
    return perSampleRole != null && xShipping == XShipping.WITH_ROWS;
  }

  /**
   * Keeps x with its rows: each shard's entries in a cached partition beside the shard's, made
   * from one piece of x shipped with the first job that needs it. A lost partition of x is
   * made again from its lineage, the steps since x was last written (see
   * {@link #checkpointKeptXEvery}) recomputed on the shards from the same inputs, so the same
   * bit for bit.
   */
  @Override
  public KeptX keepX(double[] x) {
    if (perSampleRole == null) {
      throw new UnsupportedOperationException("x has no entry per sample: it travels to the"
          + " shards whole");
    }
    if (x.length != dimX) {
      throw new IllegalArgumentException("x has " + x.length + " entries, not " + dimX);
    }
    keptXSteps = 0;
    return keepFromDriver(x);
  }

  /** x's version from {@code x} on the driver, which holds it as its lineage's start. */
  private KeptX keepFromDriver(double[] x) {
    JavaRDD<double[]> start = jsc.parallelize(shardPieces(x), numShards)
        .setName("x with its rows").persist(storageLevel);
    return keep(start, start, Math.sqrt(Shard.squares(x)));
  }

  /** Each shard's entries of an x with one entry per sample, in shard order. */
  private List<double[]> shardPieces(double[] x) {
    int[] starts = Sharding.starts(x.length, numShards);
    List<double[]> pieces = new ArrayList<>();
    for (int p = 0; p < numShards; p++) {
      pieces.add(Arrays.copyOfRange(x, starts[p], starts[p + 1]));
    }
    return pieces;
  }

  /**
   * Names the evaluation's job for Spark's UI, where {@link #describeJobs} was called: the
   * group, the description with {@code what}, and the requests.
   */
  private void describe(Evaluation evaluation, String what) {
    if (jobGroup != null) {
      jsc.setJobGroup(jobGroup, jobDescription + what + ": " + evaluation.requests().stream()
          .map(LossRequest::describe).collect(Collectors.joining(", ")), false);
    }
  }

  /**
   * Where x is kept with its rows, ends its lineage every {@code steps} steps (0, as until this
   * is called: never), which would otherwise grow by a step each outer iteration, and with it
   * the tasks Spark ships and what a lost partition costs to make again: where Spark has a
   * checkpoint directory (spark.checkpoint.dir), by writing x there (an RDD checkpoint; the
   * driver never holds x), else by gathering x on the driver and starting its lineage there
   * again (the driver then holds one copy of x).
   */
  public void checkpointKeptXEvery(int steps) {
    keptXCheckpointEvery = steps;
  }

  @Override
  public Stepped evaluateAndStep(Evaluation evaluation, XStep step) {
    describe(evaluation, ", x stepped where its rows are");
    JavaRDD<Shard.Stepped> stepped = kept().map(new StepShard(problem,
            evaluation.withPointsCopied(), step))
        .setName("x with its rows").persist(storageLevel);
    keptXSteps++;
    boolean due = keptXCheckpointEvery > 0 && keptXSteps % keptXCheckpointEvery == 0;
    boolean written = due && jsc.getCheckpointDir().isPresent();
    if (written) {
      stepped.checkpoint();
    }
    Object[] parts = (Object[]) jsc.sc().runJob(stepped.rdd(), new StepResults(), partitions,
        ClassTag$.MODULE$.apply(Shard.Stepped.class));
    jobs += written ? 2 : 1; // an RDD checkpoint writes the results in a job of its own
    List<LossSums[]> inOrder = new ArrayList<>();
    double directionSquares = 0;
    double xSquares = 0;
    for (Object part : parts) {
      Shard.Stepped results = (Shard.Stepped) part;
      inOrder.add(results.sums());
      directionSquares += results.directionSquares();
      xSquares += results.xSquares();
    }
    KeptX next = keep(stepped, stepped.map(new SteppedX()), Math.sqrt(xSquares));
    if (due && !written) {
      next = keepFromDriver(next.gather());
      jobs++;
    }
    return new Stepped(GradientEngine.sumInOrder(inOrder, dimX), next, directionSquares);
  }

  /**
   * Makes {@code pieces}, from the cached {@code cache}, x's current version, of norm
   * {@code norm}, releasing the previous version's cache (its partitions can be made again from
   * their lineage).
   */
  private KeptX keep(JavaRDD<?> cache, JavaRDD<double[]> pieces, double norm) {
    if (keptXCache != null) {
      keptXCache.unpersist(false);
    }
    keptXCache = cache;
    keptX = cachedShards().zipPartitions(pieces, new BesideItsShard());
    int length = dimX;
    return new KeptX() {
      @Override
      public double norm() {
        return norm;
      }

      @Override
      public double[] gather() {
        double[] x = new double[length];
        int at = 0;
        for (double[] piece : pieces.collect()) {
          System.arraycopy(piece, 0, x, at, piece.length);
          at += piece.length;
        }
        return x;
      }
    };
  }

  private JavaRDD<ShardWithX> kept() {
    if (keptX == null) {
      throw new IllegalStateException("an evaluation without x, but no x is kept");
    }
    return keptX;
  }

  /** A shard beside its entries of the kept x: an element of a job's partition, never stored. */
  private record ShardWithX(Shard shard, double[] x) {
  }

  /** Pairs each partition's shard with its entries of x. */
  private static final class BesideItsShard
      implements FlatMapFunction2<java.util.Iterator<Shard>, java.util.Iterator<double[]>,
          ShardWithX> {
    private static final long serialVersionUID = 1L;

    @Override
    public java.util.Iterator<ShardWithX> call(java.util.Iterator<Shard> shard,
        java.util.Iterator<double[]> x) {
      return List.of(new ShardWithX(shard.next(), x.next())).iterator();
    }
  }

  /** An evaluation on a shard at its entries of the kept x. */
  private static final class EvaluateWithKeptX
      extends AbstractFunction2<TaskContext, Iterator<ShardWithX>, LossSums[]>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Broadcast<BilevelProblem> problem;
    private final Evaluation evaluation;

    EvaluateWithKeptX(Broadcast<BilevelProblem> problem, Evaluation evaluation) {
      this.problem = problem;
      this.evaluation = evaluation;
    }

    @Override
    public LossSums[] apply(TaskContext context, Iterator<ShardWithX> pieces) {
      ShardWithX piece = pieces.next();
      return piece.shard().evaluate(problem.value(), evaluation, piece.x());
    }
  }

  /** An evaluation on a shard at its entries of the kept x, which it then steps. */
  private static final class StepShard implements Function<ShardWithX, Shard.Stepped> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<BilevelProblem> problem;
    private final Evaluation evaluation;
    private final XStep step;

    StepShard(Broadcast<BilevelProblem> problem, Evaluation evaluation, XStep step) {
      this.problem = problem;
      this.evaluation = evaluation;
      this.step = step;
    }

    @Override
    public Shard.Stepped call(ShardWithX piece) {
      return piece.shard().evaluateAndStep(problem.value(), evaluation, piece.x(), step);
    }
  }

  /** What a step's job returns to the driver: a shard's results without its entries of x. */
  private static final class StepResults
      extends AbstractFunction2<TaskContext, Iterator<Shard.Stepped>, Shard.Stepped>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Shard.Stepped apply(TaskContext context, Iterator<Shard.Stepped> results) {
      return results.next().withoutX();
    }
  }

  /** A shard's entries of x after a step. */
  private static final class SteppedX implements Function<Shard.Stepped, double[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public double[] call(Shard.Stepped stepped) {
      return stepped.x();
    }
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
      if (perSampleRole != null && xShipping != XShipping.WHOLE && numShards > 1) {
        shardPieces(x).forEach(piece -> pieces.add(jsc.broadcast(piece)));
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
    cachedShards();
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
  public long cachedBytesOnDisk() {
    return storage().mapToLong(RDDInfo::diskSize).sum();
  }

  @Override
  public int uncachedShards() {
    return numShards - storage().mapToInt(RDDInfo::numCachedPartitions).sum();
  }

  private Stream<RDDInfo> storage() {
    cachedShards();
    return Arrays.stream(jsc.sc().getRDDStorageInfo()).filter(info -> info.id() == shards.id());
  }

  @Override
  public void close() {
    shards.unpersist(false);
    if (keptXCache != null) {
      keptXCache.unpersist(false);
    }
    shippedX.forEach(Broadcast::destroy);
    shardPieces.forEach(Broadcast::destroy);
    problem.destroy();
  }
}
