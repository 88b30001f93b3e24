package org.f2ba.app;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.f2ba.data.FeatureScaler;
import org.f2ba.data.FeatureStatistics;
import org.f2ba.data.IdxReader;
import org.f2ba.data.ImageFiles;
import org.f2ba.data.InMemoryRows;
import org.f2ba.data.InputException;
import org.f2ba.data.InputRows;
import org.f2ba.data.LabelNoise;
import org.f2ba.data.LabeledData;
import org.f2ba.data.LibsvmFiles;
import org.f2ba.data.Rows;
import org.f2ba.data.SparseLabeledData;
import org.f2ba.data.SyntheticRows;
import org.f2ba.data.TableRows;
import org.f2ba.engine.DataRole;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.Classifier;
import org.f2ba.problem.CrossEntropyLoss;
import org.f2ba.problem.HiddenLayerNetwork;
import org.f2ba.problem.L2Penalty;
import org.f2ba.problem.LinearNoiseLoss;
import org.f2ba.problem.SampleLoss;
import org.f2ba.problem.WeightedCrossEntropyLoss;
import org.f2ba.problem.examples.AdversarialLeastSquares;
import org.f2ba.problem.examples.ConvexLowerLevelExamples;
import org.f2ba.problem.examples.HardInstance;
import org.f2ba.problem.examples.SyntheticPlFamily;
import org.f2ba.report.Figure;

/** Builds the experiments on real data that a config names. */
public final class Experiments {
  private Experiments() {
  }

  /**
   * The training set (noisy labels, and the labels it had, made when asked for), validation and
   * test sets.
   */
  private record Splits(Rows train, Supplier<double[]> trueLabels, Rows validation, Rows test) {
  }

  /**
   * The experiment of {@code config}, whose files are read here; it must not read its data with
   * Spark (data.format = spark-source).
   */
  public static Experiment fromConfig(RunConfig config) {
    return fromConfig(config, null);
  }

  /**
   * The experiment of {@code config}; {@code spark} gives the session that reads data.format =
   * spark-source and, when the engine is spark, the files, on its executors.
   */
  public static Experiment fromConfig(RunConfig config, Supplier<SparkSession> spark) {
    String problem = config.choice("problem", Set.of("hyperclean", "regtune", "adversarial",
        "hard-instance", "example-3.1", "example-4.1", "pl-synthetic"));
    switch (problem) {
      case "hard-instance":
        return hardInstance(config);
      case "example-3.1":
        return new Experiment("Example 3.1 (discontinuous hyper-objective)",
            ConvexLowerLevelExamples.discontinuous(), Map.of(),
            new double[] {config.number("examples.x0")}, new double[1], List.of(), List.of(),
            ConvexLowerLevelExamples::discontinuousHypergradient);
      case "example-4.1":
        return new Experiment("Example 4.1 (PL lower level, penalty not PL)",
            ConvexLowerLevelExamples.nonPlPenalty(), Map.of(),
            new double[] {config.number("examples.x0")}, new double[2], List.of(), List.of(),
            ConvexLowerLevelExamples::nonPlPenaltyHypergradient);
      case "pl-synthetic":
        return plSynthetic(config);
      case "adversarial":
        return adversarial(config);
      default:
        break;
    }
    int numClasses = config.intAtLeast("data.num-classes", 2);
    long seed = config.longValue("seed");
    String format = config.choice("data.format",
        Set.of("idx", "libsvm", "synthetic", "spark-source"));
    InputRows[] inputs = switch (format) {
      case "synthetic" -> null;
      case "spark-source" -> {
        if (spark == null) {
          throw config.invalid("data.format", "spark-source needs Spark, which is not running"
              + " here");
        }
        yield readTables(config, numClasses, spark.get());
      }
      default -> files(config, numClasses, executors(config, spark));
    };
    Splits splits = inputs == null ? synthetic(config, numClasses, seed)
        : splits(config, inputs[0], inputs[1], numClasses, seed);
    Rows train = splits.train();
    Map<DataRole, Rows> data = new EnumMap<>(DataRole.class);
    data.put(DataRole.LOWER, train);
    data.put(DataRole.UPPER, splits.validation());
    data.put(DataRole.TEST, splits.test());
    Classifier model = classifier(config, numClasses);
    double[] y0 = initialModel(config, model, train.dim() + 1, seed);
    if (problem.equals("hyperclean")) {
      double ridge = config.nonNegative("hyperclean.ridge");
      if (ridge == 0 && config.bool("diagnostics.exact-hypergradient")) {
        throw config.invalid("hyperclean.ridge", "must be > 0 for"
            + " diagnostics.exact-hypergradient: without it the lower level is not strongly"
            + " convex and y*(x) not unique");
      }
      double[] trueLabels = splits.trueLabels().get();
      // The training set's labels, drawn here as every format draws them (by row number).
      double[] noisyLabels = LabelNoise.corrupt(trueLabels, numClasses, labelNoise(config), seed);
      return hyperCleaning(data, model, ridge, config.number("hyperclean.initial-logit"),
          y0, new Corruption(noisyLabels, trueLabels));
    }
    L2Penalty.Granularity granularity = switch (config.choice("regtune.granularity",
        Set.of("scalar", "per-class", "per-feature"))) {
      case "scalar" -> L2Penalty.Granularity.SCALAR;
      case "per-class" -> L2Penalty.Granularity.PER_CLASS;
      default -> L2Penalty.Granularity.PER_FEATURE;
    };
    if (model instanceof HiddenLayerNetwork && granularity != L2Penalty.Granularity.SCALAR) {
      throw config.invalid("regtune.granularity", "per-class and per-feature strengths are the"
          + " linear model's (model.type = linear); a network's weights take one strength:"
          + " scalar");
    }
    return regularizationTuning(data, model, granularity,
        config.number("regtune.initial-log-strength"), y0,
        granularity == L2Penalty.Granularity.PER_FEATURE && format.equals("idx")
            ? imageShape(config, executors(config, spark)) : null);
  }

  /**
   * The labels of a training set with label noise, and the labels it had: a row is clean where
   * they agree (never corrupted, or corrupted into the right class by chance).
   */
  public record Corruption(double[] labels, double[] trueLabels) {
    boolean clean(int row) {
      return labels[row] == trueLabels[row];
    }
  }

  /**
   * Data hyper-cleaning (Section 7.1 of the F²BA paper) on the training set (LOWER), validation
   * set (UPPER) and any others of {@code data}, the classifier y being {@code model}: x holds
   * one logit a training row, whose weight 1/(1 + exp(−x)) multiplies the row's cross-entropy
   * in the lower level, which adds the fixed ridge λ‖y‖² where {@code ridge} > 0; the upper
   * level is the validation cross-entropy. x starts at {@code initialLogit} everywhere, y at
   * {@code y0}. Where the training labels' {@code corruption} is known (else null), the weights
   * are scored as a detector of the clean rows (F1, AUC) and their histogram is split by clean
   * and corrupted rows.
   */
  public static Experiment hyperCleaning(Map<DataRole, ? extends Rows> data, Classifier model,
      double ridge, double initialLogit, double[] y0, Corruption corruption) {
    int trainSize = data.get(DataRole.LOWER).rows();
    BilevelProblem p = new BilevelProblem(trainSize, y0.length, new CrossEntropyLoss(model),
        new WeightedCrossEntropyLoss(model), null,
        ridge > 0 ? L2Penalty.fixed(ridge) : null);
    double[] x0 = new double[trainSize];
    Arrays.fill(x0, initialLogit);
    List<Experiment.XMetric> xMetrics = corruption == null ? List.of() : List.of(
        new Experiment.XMetric("weight_f1", x -> cleanF1(x, corruption)),
        new Experiment.XMetric("weight_auc", x -> cleanAuc(x, corruption)));
    return new Experiment("data hyper-cleaning", p, data, x0, y0, xMetrics,
        List.of(x -> weightHistogram(x, corruption)), null);
  }

  /** The learned weights' histogram, by clean and corrupted rows where that is known. */
  private static Figure weightHistogram(double[] x, Corruption corruption) {
    Map<String, double[]> groups = new LinkedHashMap<>();
    if (corruption == null) {
      groups.put("training rows", Arrays.stream(x).map(WeightedCrossEntropyLoss::weight)
          .toArray());
    } else {
      groups.put("clean rows", IntStream.range(0, x.length).filter(corruption::clean)
          .mapToDouble(i -> WeightedCrossEntropyLoss.weight(x[i])).toArray());
      groups.put("corrupted rows", IntStream.range(0, x.length)
          .filter(i -> !corruption.clean(i))
          .mapToDouble(i -> WeightedCrossEntropyLoss.weight(x[i])).toArray());
    }
    return Figure.Histogram.of("weights.png", "Learned weights of the training rows",
        "Each training row's weight 1/(1 + exp(-x)) at the end, in 40 bins; a good cleaner"
            + " keeps the clean rows near 1 and sends the corrupted ones toward 0.",
        "weight", 0, 1, 40, groups);
  }

  /**
   * Regularization tuning (Section 7.2 of the companion paper) on the training set (LOWER),
   * validation set (UPPER) and any others of {@code data}, the classifier y being
   * {@code model}: the lower level is the training cross-entropy plus Σⱼ exp(x_{group(j)}) yⱼ²,
   * with one log-strength x for the whole model, or (linear model) each class or each feature
   * as {@code granularity} says, all starting at {@code initialLogStrength}; the upper level is
   * the validation cross-entropy; y starts at {@code y0}.
   * Per-feature strengths of images of {@code imageShape} (height, width; null: not images)
   * are drawn as an image.
   */
  public static Experiment regularizationTuning(Map<DataRole, ? extends Rows> data,
      Classifier model, L2Penalty.Granularity granularity, double initialLogStrength,
      double[] y0, int[] imageShape) {
    int width = data.get(DataRole.LOWER).dim() + 1;
    int numClasses = model.numClasses();
    if (model instanceof HiddenLayerNetwork && granularity != L2Penalty.Granularity.SCALAR) {
      throw new IllegalArgumentException("a network's regularization is scalar, not "
          + granularity);
    }
    CrossEntropyLoss loss = new CrossEntropyLoss(model);
    int dimX = granularity.dimX(width, numClasses);
    BilevelProblem p = new BilevelProblem(dimX, y0.length, loss, loss, null,
        L2Penalty.learned(width, granularity));
    double[] x0 = new double[dimX];
    Arrays.fill(x0, initialLogStrength);
    return new Experiment("regularization tuning", p, data, x0, y0, List.of(),
        List.of(x -> strengthFigure(x, granularity, numClasses, imageShape)), null);
  }

  /**
   * The learned strengths as log10: bars per class (one for a scalar), per feature an image
   * where the features are an image's pixels, else a histogram.
   */
  private static Figure strengthFigure(double[] x, L2Penalty.Granularity granularity,
      int numClasses, int[] imageShape) {
    double[] log10 = Arrays.stream(x).map(v -> v / Math.log(10)).toArray();
    String title = "Learned L2 strengths (log10)";
    if (granularity != L2Penalty.Granularity.PER_FEATURE) {
      boolean scalar = granularity == L2Penalty.Granularity.SCALAR;
      List<String> labels = scalar ? List.of("all weights")
          : IntStream.range(0, numClasses).mapToObj(String::valueOf).toList();
      return new Figure.Bars("strengths.png", title, "log10 of exp(x): the L2 coefficient of"
          + (scalar ? " the model's" : " each class's") + " weights at the end.",
          scalar ? "" : "class", "log10 strength", labels, log10);
    }
    String bias = String.format(Locale.ROOT, " The bias's strength: %.3g.",
        log10[log10.length - 1]);
    int features = x.length - 1;
    if (imageShape != null && imageShape[0] * imageShape[1] == features) {
      return new Figure.Image("strengths.png", title, "log10 of exp(x) for each pixel's"
          + " weights at the end: bright pixels' weights are held near zero, dark ones free."
          + bias, "log10 strength", imageShape[1], imageShape[0],
          Arrays.copyOf(log10, features));
    }
    double low = Arrays.stream(log10, 0, features).min().orElse(0);
    double high = Arrays.stream(log10, 0, features).max().orElse(0);
    return Figure.Histogram.of("strengths.png", title, "log10 of exp(x) over the " + features
        + " features at the end, in 40 bins." + bias, "log10 strength", low, high > low ? high
        : low + 1, 40, Map.of("features", Arrays.copyOf(log10, features)));
  }

  /** The Spark context whose executors read the files, or null where they are read here. */
  private static JavaSparkContext executors(RunConfig config, Supplier<SparkSession> spark) {
    return spark == null || config.choice("engine", Set.of("spark", "local")).equals("local")
        ? null : JavaSparkContext.fromSparkContext(spark.get().sparkContext());
  }

  /**
   * The height and width of the images of data.format = idx (the last two dimensions of the
   * training file's header; null where they are not two), read with the Hadoop configuration
   * of {@code executors} where they read the files.
   */
  private static int[] imageShape(RunConfig config, JavaSparkContext executors) {
    Configuration hadoop = executors == null ? new Configuration()
        : executors.hadoopConfiguration();
    int[] dims = IdxReader.header(inDir(config.string("data.dir"),
        config.string("data.train-images")), hadoop).dims();
    return dims.length == 3 ? new int[] {dims[1], dims[2]} : null;
  }

  /**
   * The hard instance of Theorem 3.2 for the run's own T and K (solver.f2ba.K), from
   * x₀ = y₀ = 0 as the theorem assumes.
   */
  private static Experiment hardInstance(RunConfig config) {
    HardInstance instance = new HardInstance(config.intAtLeast("solver.T", 1),
        config.intAtLeast("solver.f2ba.K", 1));
    return new Experiment("hard instance of Theorem 3.2", instance.problem(), Map.of(),
        new double[1], new double[instance.dimY()], List.of(), List.of(),
        instance::hypergradient);
  }

  /** The synthetic nonconvex-PL family, with φ(x) reported as a metric of x. */
  private static Experiment plSynthetic(RunConfig config) {
    int dimY = config.intAtLeast("pl-synthetic.dim-y", 2);
    int directions = config.intAtLeast("pl-synthetic.directions", 1);
    if (directions >= dimY) {
      throw config.invalid("pl-synthetic.directions", directions + " must be less than"
          + " pl-synthetic.dim-y = " + dimY + ", or the lower level would have one solution");
    }
    SyntheticPlFamily family = new SyntheticPlFamily(config.intAtLeast("pl-synthetic.dim-x", 1),
        dimY, directions, config.nonNegative("pl-synthetic.lambda"), config.longValue("seed"));
    double[] x0 = new double[family.dimX()];
    Arrays.fill(x0, config.number("examples.x0"));
    int samples = config.intAtLeast("pl-synthetic.samples", 0);
    double noiseUpper = config.nonNegative("pl-synthetic.noise-upper");
    double noiseLower = config.nonNegative("pl-synthetic.noise-lower");
    BilevelProblem deterministic = family.problem();
    Map<DataRole, LabeledData> data = new EnumMap<>(DataRole.class);
    SampleLoss upperNoise = null;
    SampleLoss lowerNoise = null;
    if (samples > 0) {
      long seed = config.longValue("seed");
      data.put(DataRole.UPPER, centeredNoise("upper-level samples", samples,
          family.dimX() + family.dimY(), noiseUpper, seed + 1));
      data.put(DataRole.LOWER, centeredNoise("lower-level samples", samples,
          family.dimX() + family.dimY(), noiseLower, seed + 2));
      upperNoise = new LinearNoiseLoss();
      lowerNoise = new LinearNoiseLoss();
    }
    BilevelProblem problem = new BilevelProblem(family.dimX(), family.dimY(), upperNoise,
        lowerNoise, deterministic.upperTerm(), deterministic.lowerTerm());
    return new Experiment("synthetic nonconvex-PL family", problem, data, x0,
        new double[family.dimY()], List.of(new Experiment.XMetric("phi",
            family::hyperObjective)), List.of(), family::hypergradient);
  }

  /** n Gaussian vectors of the given standard deviation, centered to average exactly zero. */
  private static LabeledData centeredNoise(String name, int n, int dim, double std, long seed) {
    Random random = new Random(seed);
    double[] v = new double[n * dim];
    double[] mean = new double[dim];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < dim; k++) {
        v[i * dim + k] = std * random.nextGaussian();
        mean[k] += v[i * dim + k] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < dim; k++) {
        v[i * dim + k] -= mean[k];
      }
    }
    return new LabeledData(name, dim, 1, v, new double[n]);
  }

  /**
   * The first data.train-size rows of the training input, with label noise, the next
   * data.val-size, and the first data.test-size of the test input, all scaled as data.scaling
   * says with the training set's statistics.
   */
  private static Splits splits(RunConfig config, InputRows trainInput, InputRows testInput,
      int numClasses, long seed) {
    checkSizes(config, trainInput, testInput);
    int trainSize = config.intAtLeast("data.train-size", 1);
    InputRows train = trainInput.slice("training set", 0, trainSize);
    InputRows validation = trainInput.slice("validation set", trainSize,
        trainSize + config.intAtLeast("data.val-size", 1));
    InputRows test = testInput.slice("test set", 0, config.intAtLeast("data.test-size", 1));
    FeatureScaler scaler = scaler(config, train, trainInput, testInput);
    if (scaler != null) {
      train = train.scaled(scaler);
      validation = validation.scaled(scaler);
      test = test.scaled(scaler);
    }
    InputRows clean = train;
    return new Splits(train.withLabelNoise(labelNoise(config), seed), clean::labels,
        validation, test);
  }

  /**
   * The scaling data.scaling asks for, by the statistics of {@code train}; null for none.
   * Centering is refused where the input {@code file} or {@code otherFile} is sparse.
   */
  private static FeatureScaler scaler(RunConfig config, InputRows train, InputRows file,
      InputRows otherFile) {
    String scaling = config.choice("data.scaling",
        Set.of("none", "center", "standardize", "scale"));
    if (scaling.equals("none")) {
      return null;
    }
    if (!scaling.equals("scale") && (file.sparse() || otherFile.sparse())) {
      throw config.invalid("data.scaling", scaling + " would make the sparse features of "
          + (file.sparse() ? file : otherFile).name() + " dense: use scale (divides by the"
          + " standard deviation, keeps zeros) or none");
    }
    FeatureStatistics statistics = train.statistics();
    return switch (scaling) {
      case "center" -> FeatureScaler.centering(statistics);
      case "standardize" -> FeatureScaler.standardizing(statistics);
      default -> FeatureScaler.scalingOnly(statistics);
    };
  }

  /**
   * Adversarial training by least squares ({@link AdversarialLeastSquares}) on the first
   * data.train-size rows of a LIBSVM file of real-valued labels (data.libsvm.train-file), read
   * here: φ needs the samples. Both levels take the same samples; features scaled as
   * data.scaling says, labels as data.label-scaling says. From x = 0 and y = b, the labels as
   * they are; φ(x) and φ(x) − min φ are metrics of x, and ∇φ the exact hyper-gradient.
   */
  private static Experiment adversarial(RunConfig config) {
    config.choice("data.format", Set.of("libsvm"));
    String file = config.string("data.libsvm.train-file");
    InputRows input = LibsvmFiles.load(file, config.intAtLeast("data.libsvm.num-features", 1),
        0, 0);
    int n = config.intAtLeast("data.train-size", 2);
    if (n > input.rows()) {
      throw config.invalid("data.train-size", n + " exceeds the " + input.rows()
          + " samples of " + file);
    }
    InputRows rows = input.slice(file, 0, n);
    FeatureScaler scaler = scaler(config, rows, input, input);
    InMemoryRows scaled = (InMemoryRows) (scaler == null ? rows : rows.scaled(scaler));
    LabeledData dense = scaled instanceof SparseLabeledData sparse ? sparse.dense()
        : (LabeledData) scaled;
    double[] labels = dense.labels().clone();
    if (config.choice("data.label-scaling", Set.of("none", "standardize"))
        .equals("standardize")) {
      standardize(labels, file);
    }
    LabeledData samples = new LabeledData(file, dense.dim(), 0, dense.features(), labels);
    AdversarialLeastSquares instance = new AdversarialLeastSquares(samples,
        config.positive("adversarial.lambda"), config.positive("adversarial.sigma-min"),
        config.positive("adversarial.sigma-max"), config.longValue("seed"));
    double best = instance.hyperObjective(instance.minimizer());
    Map<DataRole, Rows> data = new EnumMap<>(DataRole.class);
    data.put(DataRole.LOWER, samples);
    data.put(DataRole.UPPER, samples);
    return new Experiment(String.format(Locale.ROOT, "adversarial training by least squares on"
        + " %s (%d samples; min phi = %.6g)", file, n, best), instance.problem(), data,
        new double[samples.dim() + 1], labels.clone(), List.of(
            new Experiment.XMetric("phi", instance::hyperObjective),
            new Experiment.XMetric("phi_gap", x -> instance.hyperObjective(x) - best)),
        List.of(), instance::hypergradient);
  }

  /** Centers {@code labels} and divides them by their standard deviation, in place. */
  private static void standardize(double[] labels, String name) {
    FeatureStatistics statistics = new FeatureStatistics(1);
    for (int i = 0; i < labels.length; i++) {
      statistics.add(labels, i);
    }
    if (statistics.std(0) == 0) {
      throw new InputException(name + ": every label is " + labels[0] + ": data.label-scaling"
          + " = standardize needs labels that vary");
    }
    FeatureScaler scaler = FeatureScaler.standardizing(statistics);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = scaler.apply(labels[i], 0);
    }
  }

  /**
   * The tables that a Spark data source reads on the executors (data.spark-source.format, train
   * and test, with the columns features-col and label-col): the driver counts the rows and, for
   * data.scaling, gathers the training set's statistics in one job each, and never holds the
   * features.
   */
  private static TableRows[] readTables(RunConfig config, int numClasses, SparkSession spark) {
    String format = config.string("data.spark-source.format");
    String featuresCol = config.string("data.spark-source.features-col");
    String labelCol = config.string("data.spark-source.label-col");
    Map<String, String> options = config.sourceOptions();
    return new TableRows[] {
        TableRows.read(spark, format, options, config.string("data.spark-source.train"),
            featuresCol, labelCol, numClasses),
        TableRows.read(spark, format, options, config.string("data.spark-source.test"),
            featuresCol, labelCol, numClasses)};
  }

  /**
   * Refuses sizes that the files do not have: data.train-size and val-size rows of the training
   * file, data.test-size of the test file, of the same dimension.
   */
  private static void checkSizes(RunConfig config, Rows trainFile, Rows testFile) {
    int trainSize = config.intAtLeast("data.train-size", 1);
    int valSize = config.intAtLeast("data.val-size", 1);
    if ((long) trainSize + valSize > trainFile.rows()) {
      throw config.invalid("data.train-size", "train-size " + trainSize + " + val-size "
          + valSize + " exceed the " + trainFile.rows() + " samples of " + trainFile.name());
    }
    if (testFile.dim() != trainFile.dim()) {
      throw new InputException(testFile.name() + " has samples of dimension " + testFile.dim()
          + " but " + trainFile.name() + " has dimension " + trainFile.dim());
    }
    int testSize = config.intAtLeast("data.test-size", 1);
    if (testSize > testFile.rows()) {
      throw config.invalid("data.test-size", testSize + " exceeds the " + testFile.rows()
          + " samples of " + testFile.name());
    }
  }

  /**
   * Training, validation and test sets generated by {@link SyntheticRows} wherever their rows are
   * needed (on Spark, by the executors that cache them), with data.train-size, val-size and
   * test-size rows, data.synthetic.features features and label noise on the training set.
   */
  private static Splits synthetic(RunConfig config, int numClasses, long seed) {
    int features = config.intAtLeast("data.synthetic.features", 1);
    double separation = config.nonNegative("data.synthetic.separation");
    int nonZeros = config.intAtLeast("data.synthetic.nonzeros", 0);
    SyntheticRows.Sparsity sparsity = null;
    if (nonZeros > 0) {
      double share = config.nonNegative("data.synthetic.class-share");
      if (share > 1) {
        throw config.invalid("data.synthetic.class-share", share + " is not a probability");
      }
      sparsity = new SyntheticRows.Sparsity(nonZeros,
          config.intAtLeast("data.synthetic.class-features", 1), share);
    }
    double noise = labelNoise(config);
    SyntheticRows train = new SyntheticRows("synthetic training set",
        config.intAtLeast("data.train-size", 1), features, numClasses, separation, noise, seed, 0,
        sparsity);
    return new Splits(train, train::trueLabels,
        new SyntheticRows("synthetic validation set", config.intAtLeast("data.val-size", 1),
            features, numClasses, separation, 0, seed, 1, sparsity),
        new SyntheticRows("synthetic test set", config.intAtLeast("data.test-size", 1),
            features, numClasses, separation, 0, seed, 2, sparsity));
  }

  private static double labelNoise(RunConfig config) {
    double noise = config.nonNegative("data.label-noise");
    if (noise > 1) {
      throw config.invalid("data.label-noise", noise + " is not a probability");
    }
    return noise;
  }

  /**
   * The F1 score of "weight > 0.5" as a detector of the training samples whose label is right
   * (never corrupted, or corrupted into the right class by chance).
   */
  static double cleanF1(double[] x, Corruption corruption) {
    long truePositive = 0;
    long predicted = 0;
    long actual = 0;
    for (int i = 0; i < x.length; i++) {
      boolean kept = WeightedCrossEntropyLoss.weight(x[i]) > 0.5;
      boolean clean = corruption.clean(i);
      predicted += kept ? 1 : 0;
      actual += clean ? 1 : 0;
      truePositive += kept && clean ? 1 : 0;
    }
    return predicted + actual == 0 ? 1.0 : 2.0 * truePositive / (predicted + actual);
  }

  /**
   * The area under the ROC curve of x as a score of "the label is right": the chance that a
   * random clean sample has a larger x than a random corrupted one (ties count half).
   */
  static double cleanAuc(double[] x, Corruption corruption) {
    int clean = 0;
    for (int i = 0; i < x.length; i++) {
      clean += corruption.clean(i) ? 1 : 0;
    }
    int corrupted = x.length - clean;
    if (clean == 0 || corrupted == 0) {
      return Double.NaN;
    }
    double[] cleanScores = new double[clean];
    double[] corruptedScores = new double[corrupted];
    for (int i = 0, c = 0, w = 0; i < x.length; i++) {
      if (corruption.clean(i)) {
        cleanScores[c++] = x[i];
      } else {
        corruptedScores[w++] = x[i];
      }
    }
    // Primitive sorts: a million weights sort in tens of milliseconds, a run's x once an
    // iteration.
    Arrays.parallelSort(cleanScores);
    Arrays.parallelSort(corruptedScores);
    double wins = 0; // corrupted samples below each clean one, ties counted half: exact in double
    int below = 0;
    int notAbove = 0;
    for (double score : cleanScores) {
      while (below < corrupted && Double.compare(corruptedScores[below], score) < 0) {
        below++;
      }
      notAbove = Math.max(notAbove, below);
      while (notAbove < corrupted && Double.compare(corruptedScores[notAbove], score) <= 0) {
        notAbove++;
      }
      wins += (below + notAbove) / 2.0;
    }
    return wins / ((double) clean * corrupted);
  }

  /** The classifier of model.type: linear, or a network of model.network's shape. */
  private static Classifier classifier(RunConfig config, int numClasses) {
    if (config.choice("model.type", Set.of("linear", "network")).equals("linear")) {
      return Classifier.linear(numClasses);
    }
    HiddenLayerNetwork.Activation activation = HiddenLayerNetwork.Activation.valueOf(
        config.choice("model.network.activation", Set.of("relu", "gelu"))
            .toUpperCase(Locale.ROOT));
    return new HiddenLayerNetwork(config.intAtLeast("model.network.hidden-units", 1),
        numClasses, activation);
  }

  /**
   * The starting model for rows of {@code width} columns (features and bias), as model.init
   * says: zeros, or random; the linear model's entries normal with standard deviation
   * model.init-scale, a network's of each layer with standard deviation √(2 / its inputs) (He
   * et al., for ReLU units), which keeps the hidden units' scale whatever the width.
   */
  private static double[] initialModel(RunConfig config, Classifier model, int width,
      long seed) {
    boolean random = config.choice("model.init", Set.of("random", "zeros")).equals("random");
    if (!(model instanceof HiddenLayerNetwork net)) {
      return initialModel(model.dimY(width), random ? config.positive("model.init-scale") : 0,
          seed);
    }
    if (!random) {
      throw config.invalid("model.init", "zeros would hold a network where it starts: at zero"
          + " weights every hidden unit gets a zero gradient; use random");
    }
    double[] y0 = initialModel(model.dimY(width), 1, seed);
    int first = width * net.hidden();
    for (int j = 0; j < y0.length; j++) {
      y0[j] *= Math.sqrt(2.0 / (j < first ? width : net.hidden() + 1));
    }
    return y0;
  }

  /** A model of dimension dimY: normal with standard deviation {@code scale} (0: zeros). */
  public static double[] initialModel(int dimY, double scale, long seed) {
    double[] y0 = new double[dimY];
    if (scale > 0) {
      Random random = new Random(seed);
      for (int j = 0; j < dimY; j++) {
        y0[j] = scale * random.nextGaussian();
      }
    }
    return y0;
  }

  /** The training file and the test file (data.format idx or libsvm), read here. */
  static InMemoryRows[] loadFiles(RunConfig config, int numClasses) {
    InputRows[] files = files(config, numClasses, null);
    return new InMemoryRows[] {(InMemoryRows) files[0], (InMemoryRows) files[1]};
  }

  /**
   * The training file and the test file (data.format idx or libsvm), read by the executors of
   * {@code executors}, or here where it is null.
   */
  private static InputRows[] files(RunConfig config, int numClasses,
      JavaSparkContext executors) {
    boolean idx = config.choice("data.format", Set.of("idx", "libsvm")).equals("idx");
    InputRows[] files = new InputRows[2];
    for (int k = 0; k < files.length; k++) {
      String set = k == 0 ? "train" : "test";
      if (idx) {
        String dir = config.string("data.dir");
        String images = inDir(dir, config.string("data." + set + "-images"));
        String labels = inDir(dir, config.string("data." + set + "-labels"));
        files[k] = executors == null ? ImageFiles.load(images, labels, numClasses)
            : ImageFiles.read(executors, images, labels, numClasses);
      } else {
        int numFeatures = config.intAtLeast("data.libsvm.num-features", 1);
        int offset = (int) config.longValue("data.libsvm.label-offset");
        String file = config.string("data.libsvm." + set + "-file");
        files[k] = executors == null ? LibsvmFiles.load(file, numFeatures, numClasses, offset)
            : LibsvmFiles.read(executors, file, numFeatures, numClasses, offset);
      }
    }
    return files;
  }

  private static String inDir(String dir, String file) {
    return dir.isEmpty() || file.startsWith("/") || file.contains("://") ? file
        : dir + "/" + file;
  }
}
