package org.f2ba.app;

import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.f2ba.data.InputException;
import org.f2ba.data.RangeRows;
import org.f2ba.data.Rows;
import org.f2ba.data.TableRows;
import org.f2ba.engine.DataRole;
import org.f2ba.engine.GradientEngine;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.engine.SparkEngine;
import org.f2ba.engine.TableSharding;
import org.f2ba.engine.XShipping;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Blas;
import org.f2ba.report.RunReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The application: runs F²BA / F²BSA on the experiment a config describes. */
@Command(name = "f2ba", mixinStandardHelpOptions = true,
    description = "Runs F2BA / F2BSA (fully first-order bilevel optimization) on the experiment"
        + " that CONF describes; KEY=VALUE arguments override its keys.")
public final class F2baApp implements Callable<Integer> {
  /** Spark's names of the storage levels spark.storage-level accepts. */
  private static final Set<String> STORAGE_LEVELS = Set.of("MEMORY_ONLY", "MEMORY_ONLY_2",
      "MEMORY_ONLY_SER", "MEMORY_ONLY_SER_2", "MEMORY_AND_DISK", "MEMORY_AND_DISK_2",
      "MEMORY_AND_DISK_SER", "MEMORY_AND_DISK_SER_2", "DISK_ONLY", "DISK_ONLY_2");

  @Parameters(index = "0", paramLabel = "CONF", description = "HOCON config file")
  private String configFile;

  @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "config overrides")
  private List<String> overrides = new ArrayList<>();

  @Option(names = "--resume", description = "continue from the newest complete checkpoint")
  private boolean resume;

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.err, true), args));
  }

  /** Runs the application and returns its exit code; errors go to {@code err}. */
  public static int run(PrintWriter err, String... args) {
    return commandLine(new F2baApp(), err).execute(args);
  }

  /**
   * The command line of one of the project's commands: a bad input ends it with exit code 2
   * and one line "error: ..." on {@code err}; a stop signal with the stopped run's line.
   */
  static CommandLine commandLine(Object command, PrintWriter err) {
    return new CommandLine(command)
        .setErr(err)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (e instanceof RunStopped stopped) {
            cmd.getErr().println(stopped.getMessage());
            cmd.getErr().flush();
            return StopSignals.EXIT_CODE;
          }
          InputException input = findInputException(e);
          if (input == null) {
            throw e;
          }
          cmd.getErr().println("error: " + input.getMessage());
          cmd.getErr().flush();
          return 2;
        });
  }

  @Override
  public Integer call() {
    try (StopSignals stop = StopSignals.install()) {
      return call(stop);
    }
  }

  private int call(StopSignals stop) {
    HeapUse.watch();
    if (resume) {
      overrides.add("checkpoint.resume=true");
    }
    RunConfig config = RunConfig.load(configFile, overrides);
    config.notes().forEach(spec.commandLine().getErr()::println);
    Checkpointing checkpointing = Checkpointing.fromConfig(config);
    SolverSettings settings = SolverSettings.fromConfig(config);
    DiagnosticSettings diagnostics = DiagnosticSettings.fromConfig(config);
    String engineName = config.choice("engine", Set.of("spark", "local"));
    Arithmetic arithmetic = arithmetic(config);
    String outputDir = config.string("output.dir");
    int partitions = config.intAtLeast("spark.partitions", 0);
    int blockRows = config.intAtLeast("data.block-rows", 1);
    long seed = config.longValue("seed");
    RunOutput.checkReplaceable(outputDir);
    try (SparkConnection spark = new SparkConnection(config)) {
      try {
        if (engineName.equals("spark")) {
          spark.context(); // a bad master is refused before the data are read
        }
        Experiment experiment = Experiments.fromConfig(config,
            () -> {
              spark.context(); // the session takes the run's context
              return SparkSession.builder().getOrCreate();
            });
        boolean theory = settings.theory() != null;
        checkBatch(config, theory ? "solver.theory.c-batch" : "solver.batch.upper",
            settings.batchSizes().upper(), experiment.data().get(DataRole.UPPER));
        checkBatch(config, theory ? "solver.theory.c-batch" : "solver.batch.lower",
            settings.batchSizes().lower(), experiment.data().get(DataRole.LOWER));
        if (partitions == 0) {
          partitions = engineName.equals("spark") ? spark.context().defaultParallelism()
              : Runtime.getRuntime().availableProcessors();
        }
        StringBuilder samples = new StringBuilder();
        experiment.data().forEach((role, data) -> samples.append(samples.isEmpty() ? "" : ", ")
            .append(data.rows()).append(' ').append(role.name().toLowerCase()));
        System.out.printf("%s: %s; dim x %d, dim y %d; %s engine, %d partitions%n",
            experiment.name(), samples.isEmpty() ? "no data" : samples + " samples",
            experiment.problem().dimX(), experiment.problem().dimY(), engineName, partitions);
        XShipping xShipping = xShipping(config, engineName, diagnostics);
        try (GradientEngine engine = engine(engineName, spark, experiment, partitions,
            blockRows, xShipping, config.intAtLeast("spark.x-checkpoint-every", 0),
            storageLevel(config))) {
          int uncached = engine.uncachedShards(); // asks the cluster: once
          if (uncached > 0) {
            System.out.printf("warning: %d of the %d partitions did not fit in the executors'"
                + " storage memory and are rebuilt at every evaluation (slow): give executors"
                + " more memory (spark-submit --executor-memory), cut the data into more,"
                + " smaller partitions (spark.partitions; Spark caches a partition only if"
                + " about 1.5 times its size fits) or let the executors keep what does not fit"
                + " on their disks (spark.storage-level = MEMORY_AND_DISK)%n", uncached,
                partitions);
          }
          Map<String, Object> blas = describeBlas(arithmetic.blas(), engine);
          BilevelRun run = new BilevelRun(experiment, engine, arithmetic, settings, seed,
              System.out, diagnostics);
          try (RunOutput output = new RunOutput(outputDir, run.columns())) {
            Map<String, Object> summary = run.run(output, checkpointing, stop);
            summary.put("engine", engineName);
            summary.put("partitions", partitions);
            Map<String, Object> products = new LinkedHashMap<>();
            products.put("precision", arithmetic.precision().name().toLowerCase(Locale.ROOT));
            products.put("blas", blas);
            summary.put("arithmetic", products);
            summary.put("driver_heap_peak_bytes", HeapUse.peak());
            summary.put("driver_heap_retained_bytes", HeapUse.retainedPeak());
            summary.put("data_cached_bytes", engine.cachedBytes());
            summary.put("data_cached_bytes_on_disk", engine.cachedBytesOnDisk());
            summary.put("config", config.origin());
            writeReport(output, summary, experiment);
            System.out.println("results in " + output.commit(summary));
          }
        }
      } catch (Exception e) { // Spark's exceptions are checked ones, which Scala never declares
        InputException clear = e instanceof RunStopped || findInputException(e) != null ? null
            : spark.explain(e);
        if (clear != null) {
          throw clear;
        }
        throw e;
      } catch (OutOfMemoryError e) {
        throw new InputException("the driver ran out of memory (" + e.getMessage() + "): give"
            + " it more (JAVA_OPTS=-Xmx16g for run-local.sh, spark-submit --driver-memory 16g)",
            e);
      }
    }
    return 0;
  }

  /**
   * Writes the run's report beside its results; where it cannot be drawn (a JVM without fonts
   * or AWT), says so and leaves the results as they are.
   */
  private static void writeReport(RunOutput output, Map<String, Object> summary,
      Experiment experiment) {
    try {
      output.writeReport(summary, experiment.xMetrics().stream()
          .map(Experiment.XMetric::name).toList());
    } catch (IOException | RuntimeException | LinkageError | AWTError e) {
      System.out.println("warning: " + RunReport.PAGE + " not written (" + e + "); the"
          + " metrics and summary are");
    }
  }

  private static Arithmetic arithmetic(RunConfig config) {
    Arithmetic.Precision precision = Arithmetic.Precision.valueOf(config.choice(
        "arithmetic.precision", Set.of("single", "double")).toUpperCase(Locale.ROOT));
    Blas.Choice blas = Blas.Choice.valueOf(config.choice("arithmetic.blas",
        Set.of("auto", "native", "java")).toUpperCase(Locale.ROOT));
    if (blas == Blas.Choice.NATIVE && Blas.nativeLibrary().file() == null) {
      throw config.invalid("arithmetic.blas", Blas.nativeLibrary().refusal());
    }
    return new Arithmetic(precision, blas);
  }

  /**
   * Prints the BLAS the driver's and the executors' products run on, and returns it for the
   * summary: {"driver": line, "executors": [lines]}.
   */
  private static Map<String, Object> describeBlas(Blas.Choice choice, GradientEngine engine) {
    String driver = Blas.describe(choice, Blas.nativeLibrary());
    List<String> workers = engine.nativeLibraries().stream()
        .map(lib -> Blas.describe(choice, lib)).distinct().toList();
    System.out.println("blas: " + driver);
    if (!workers.equals(List.of(driver))) {
      workers.forEach(line -> System.out.println("blas on executors: " + line));
    }
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("driver", driver);
    described.put("executors", workers);
    return described;
  }

  /**
   * The engine of {@code name} over the experiment's data: on Spark, rows in the driver's memory
   * are sharded here and shipped once, rows described by where they come from are made by the
   * executors that cache them, and tables are read by the executors; in process, tables are read
   * by Spark and collected.
   */
  private static GradientEngine engine(String name, SparkConnection spark, Experiment experiment,
      int partitions, int blockRows, XShipping xShipping, int xCheckpointEvery,
      StorageLevel storageLevel) {
    BilevelProblem problem = experiment.problem();
    Map<DataRole, RangeRows> ranges = experiment.dataOf(RangeRows.class);
    Map<DataRole, TableRows> tables = ranges != null ? null
        : experiment.dataOf(TableRows.class);
    if (!name.equals("spark")) {
      return new LocalEngine(problem, ranges != null
          ? Sharding.split(ranges, partitions, blockRows)
          : TableSharding.collected(tables, partitions, blockRows));
    }
    JavaSparkContext jsc = new JavaSparkContext(spark.context());
    SparkEngine engine = tables != null
        ? SparkEngine.readingTablesOnExecutors(jsc, problem, tables, partitions, blockRows)
        : Sharding.inMemory(ranges)
        ? new SparkEngine(jsc, problem, Sharding.split(ranges, partitions, blockRows))
        : SparkEngine.buildingShardsOnExecutors(jsc, problem, ranges, partitions, blockRows);
    engine.storeShards(storageLevel);
    engine.shipPerSampleX(xShipping);
    engine.checkpointKeptXEvery(xCheckpointEvery);
    if (engine.keepsXWithRows()) {
      String every = " every " + xCheckpointEvery + " outer iterations"
          + " (spark.x-checkpoint-every)";
      System.out.println(xCheckpointEvery == 0 ? "x kept with its rows, never written: a lost"
          + " executor's entries of x are recomputed from the first outer iteration on"
          : jsc.getCheckpointDir().isPresent() ? "x kept with its rows, written to "
          + jsc.getCheckpointDir().get() + every : "x kept with its rows, gathered on the"
          + " driver" + every + " (set the Spark property spark.checkpoint.dir to write it"
          + " there instead)");
    }
    return engine;
  }

  /** spark.storage-level: one of Spark's names of a storage level that keeps something. */
  private static StorageLevel storageLevel(RunConfig config) {
    return StorageLevel.fromString(config.choice("spark.storage-level", STORAGE_LEVELS));
  }

  /** spark.per-sample-x, where the engine and diagnostics allow it. */
  private static XShipping xShipping(RunConfig config, String engine,
      DiagnosticSettings diagnostics) {
    XShipping shipping = XShipping.valueOf(config.choice("spark.per-sample-x",
        Set.of("whole", "per-shard", "with-rows")).replace('-', '_').toUpperCase(Locale.ROOT));
    if (shipping == XShipping.WITH_ROWS && !engine.equals("spark")) {
      throw config.invalid("spark.per-sample-x", "with-rows keeps x in the Spark executors'"
          + " partitions: it needs engine = spark");
    }
    if (shipping == XShipping.WITH_ROWS && diagnostics.exactHypergradient()) {
      throw config.invalid("spark.per-sample-x", "with-rows keeps x off the driver, where"
          + " diagnostics.exact-hypergradient needs all of it at every outer iteration");
    }
    return shipping;
  }

  private static void checkBatch(RunConfig config, String key, int batch, Rows data) {
    if (data != null && batch > data.rows()) {
      throw config.invalid(key, "a batch of " + batch + " is larger than the " + data.rows()
          + " samples of the " + data.name());
    }
  }

  private static InputException findInputException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException input) {
        return input;
      }
    }
    return null;
  }
}
