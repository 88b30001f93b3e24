package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.f2ba.IdxFiles;
import org.f2ba.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad input ends the run with exit code 2 and one message naming its cause. */
class BadInputTest {
  private static final String EMBEDDED = "data/fashion-mnist-small";

  @TempDir
  static Path dir;

  /** A small, fast run on the embedded data, in process. */
  static List<String> smallRun(String... more) {
    List<String> args = new ArrayList<>(List.of("conf/default.conf", "engine=local",
        "data.train-size=300", "data.val-size=100", "data.test-size=100", "solver.T=2",
        "solver.f2ba.K=2", "output.dir=" + dir.resolve("out")));
    args.addAll(List.of(more));
    return args;
  }

  static Stream<Arguments> badInputs() throws Exception {
    Path d = dir;
    int[] labels = new int[20];
    int[] pixels = new int[20 * 4];
    Path goodImages = IdxFiles.bytes(d.resolve("good-images"), new int[] {20, 2, 2}, pixels,
        true);
    Path goodLabels = IdxFiles.bytes(d.resolve("good-labels"), new int[] {20}, labels, false);
    byte[] full = Files.readAllBytes(IdxFiles.bytes(d.resolve("tmp"), new int[] {20, 2, 2},
        pixels, false));
    Path truncated = IdxFiles.write(d.resolve("truncated"),
        java.util.Arrays.copyOf(full, full.length - 7), false);
    byte[] wrong = full.clone();
    wrong[2] = 0x42;
    Path badMagic = IdxFiles.write(d.resolve("bad-magic"), wrong, false);
    Path fewLabels = IdxFiles.bytes(d.resolve("few-labels"), new int[] {19}, new int[19],
        false);
    int[] outOfRange = labels.clone();
    outOfRange[5] = 12;
    Path badLabels = IdxFiles.bytes(d.resolve("bad-labels"), new int[] {20}, outOfRange, false);
    float[] withNan = new float[80];
    withNan[9] = Float.NaN;
    Path nanImages = IdxFiles.floats(d.resolve("nan-images"), new int[] {20, 2, 2}, withNan);
    float[] withInf = new float[80];
    withInf[77] = Float.POSITIVE_INFINITY;
    Path infImages = IdxFiles.floats(d.resolve("inf-images"), new int[] {20, 2, 2}, withInf);
    Path noImages = IdxFiles.bytes(d.resolve("no-images"), new int[] {0, 2, 2}, new int[0],
        false);
    Path noLabels = IdxFiles.bytes(d.resolve("no-labels"), new int[] {0}, new int[0], false);
    Path badLibsvm = Files.writeString(d.resolve("bad.libsvm"), "0 1:0.5 2:1\n3 1:x\n");
    Path goodLibsvm = Files.writeString(d.resolve("good.libsvm"), "0 1:0.5 2:1\n3 1:1\n");
    Path sparseLibsvm = Files.writeString(d.resolve("sparse.libsvm"),
        "0 1:0.5 12:1\n1 7:1\n".repeat(10));
    Path otherDim = IdxFiles.bytes(d.resolve("other-dim"), new int[] {20, 3, 3},
        new int[20 * 9], false);
    Path blocker = Files.writeString(d.resolve("a-file"), "x");
    Path openSecret = Files.writeString(d.resolve("open-secret"), "s3cret");
    Files.setPosixFilePermissions(openSecret, PosixFilePermissions.fromString("rw-r--r--"));
    Path unknownKeyConf = Files.writeString(d.resolve("unknown.conf"),
        "include \"" + Path.of("conf/default.conf").toAbsolutePath() + "\"\nsolver.KK = 3\n");

    String small = "data.train-size=10";
    String tiny = "data.val-size=5";
    String test = "data.test-size=5";
    String goodTable = table(d, "good-table", Map.of());
    String wrongLabel = table(d, "wrong-label", Map.of(5,
        RowFactory.create(Vectors.dense(new double[4]), 12.0)));
    String nanSparse = table(d, "nan-sparse", Map.of(3,
        RowFactory.create(Vectors.sparse(4, new int[] {1}, new double[] {Double.NaN}), 0.0)));
    String shortRow = table(d, "short-row", Map.of(4,
        RowFactory.create(Vectors.dense(new double[3]), 0.0)));
    String textFeatures = TestTables.write(List.of(RowFactory.create("1 2", 0.0)),
        new StructType().add("features", DataTypes.StringType)
            .add("label", DataTypes.DoubleType), d.resolve("text-features"), 1);
    return Stream.of(
        Arguments.of(tableRun(wrongLabel, goodTable), wrongLabel + ": row 5: label 12.0 in"
            + " column 'label' is not one of the 10 classes 0, ..., 9"),
        Arguments.of(tableRun(nanSparse, goodTable), nanSparse + ": row 3: feature 1 in column"
            + " 'features' is NaN (features must be finite)"),
        Arguments.of(tableRun(shortRow, goodTable), shortRow + ": row 4: it has 3 features in"
            + " column 'features', the rows before it 4"),
        Arguments.of(tableRun(goodTable, textFeatures), textFeatures + ": column 'features'"
            + " holds string, not Spark ML vectors"),
        Arguments.of(tableRun(goodTable, goodTable, "data.spark-source.label-col=class"),
            goodTable + ": no column 'class' (its columns: features, label)"),
        Arguments.of(tableRun(d.resolve("no-table").toString(), goodTable),
            "no-table: Spark's parquet source cannot read it"),
        Arguments.of(tableRun(goodTable, goodTable, "data.train-size=20"),
            "exceed the 20 samples of " + goodTable),
        Arguments.of(List.of("data.train-images=" + d.resolve("missing")), "missing: no such file"),
        Arguments.of(idx(truncated, goodLabels, small, tiny, test), "truncated"),
        Arguments.of(idx(badMagic, goodLabels, small, tiny, test), "bad magic number"),
        Arguments.of(idx(goodImages, fewLabels, small, tiny, test), "holds 20 images but"),
        Arguments.of(idx(goodImages, badLabels, small, tiny, test),
            "label 12.0 of sample 5 is not one of the 10 classes"),
        Arguments.of(idx(nanImages, goodLabels, small, tiny, test),
            "sample 2, feature 1 is NaN"),
        Arguments.of(idx(infImages, goodLabels, small, tiny, test),
            "sample 19, feature 1 is Infinity"),
        Arguments.of(List.of("data.test-images=" + noImages, "data.test-labels=" + noLabels),
            "the dataset is empty"),
        // The same files read by the executors: the same messages.
        Arguments.of(onExecutors(idx(truncated, goodLabels, small, tiny, test)), truncated
            + ": truncated"),
        Arguments.of(onExecutors(idx(goodImages, badLabels, small, tiny, test)), badLabels
            + ": label 12.0 of sample 5 is not one of the 10 classes"),
        Arguments.of(onExecutors(idx(infImages, goodLabels, small, tiny, test)), infImages
            + ": sample 19, feature 1 is Infinity"),
        Arguments.of(onExecutors(List.of("data.test-images=" + noImages,
            "data.test-labels=" + noLabels)), noImages + ": the dataset is empty"),
        Arguments.of(onExecutors(List.of("data.format=libsvm",
            "data.libsvm.train-file=" + badLibsvm, "data.libsvm.test-file=" + goodLibsvm,
            "data.libsvm.num-features=2", small, tiny, test)), badLibsvm + ": line 2: the value"
            + " of feature 1 'x' is not a number"),
        Arguments.of(List.of("data.format=libsvm", "data.libsvm.train-file=" + badLibsvm,
            "data.libsvm.test-file=" + goodLibsvm, "data.libsvm.num-features=2", small, tiny,
            test), badLibsvm + ": line 2: the value of feature 1 'x' is not a number"),
        Arguments.of(List.of("data.format=libsvm", "data.libsvm.train-file=" + sparseLibsvm,
            "data.libsvm.test-file=" + sparseLibsvm, "data.libsvm.num-features=40", small, tiny,
            test), "standardize would make the sparse features of " + sparseLibsvm
            + " dense: use scale (divides by the standard deviation, keeps zeros) or none"),
        Arguments.of(List.of("data.test-images=" + otherDim, "data.test-labels=" + goodLabels,
            test), "has samples of dimension 9 but"),
        Arguments.of(List.of("data.train-size=7000", "data.val-size=2000"),
            "exceed the 8000 samples"),
        Arguments.of(List.of("spark.per-sample-x=with-rows"), "needs engine = spark"),
        Arguments.of(List.of("spark.per-sample-x=with-rows", "engine=spark",
            "diagnostics.exact-hypergradient=true"), "diagnostics.exact-hypergradient needs"),
        Arguments.of(List.of("spark.per-sample-x=with-rows", "engine=spark",
            "solver.name=aid-cg"), "spark.per-sample-x = with-rows takes solver f2ba"),
        Arguments.of(List.of("spark.per-sample-x=with-rows", "engine=spark",
            "solver.f2ba.schedule=delta"), "neither the outer momentum nor the delta schedule"),
        Arguments.of(List.of("spark.storage-level=MEMORY"), "'spark.storage-level' (command"
            + " line): 'MEMORY' is not one of [DISK_ONLY, DISK_ONLY_2, MEMORY_AND_DISK,"),
        Arguments.of(List.of("solver.f2ba.sigma=0"), "'solver.f2ba.sigma'"),
        Arguments.of(List.of("solver.f2ba.sigma=-1"), "must be greater than 0"),
        Arguments.of(List.of("solver.f2ba.eta=0"), "'solver.f2ba.eta'"),
        Arguments.of(List.of("solver.f2ba.tau=-0.5"), "'solver.f2ba.tau'"),
        Arguments.of(List.of("solver.f2ba.K=0"),
            "'solver.f2ba.K' (command line): 0 is less than 1"),
        Arguments.of(List.of("solver.f2ba.K=ten"), "solver.f2ba.K"),
        Arguments.of(List.of("solver.T=0"), "'solver.T'"),
        Arguments.of(List.of("solver.batch.lower=0"), "solver.batch.lower"),
        Arguments.of(List.of("solver.batch.lower=301"), "larger than the 300 samples"),
        Arguments.of(List.of("solver.f2ba.schedule=adaptive"), "'solver.f2ba.schedule'"),
        Arguments.of(List.of("problem=ridge"), "'problem'"),
        Arguments.of(List.of("data.label-noise=1.5"), "not a probability"),
        Arguments.of(List.of("solver.KK=3"), "unknown config key 'solver.KK'"),
        Arguments.of(List.of("arithmetic.precision=half"), "'arithmetic.precision'"),
        Arguments.of(List.of("arithmetic.blas=mkl"), "'arithmetic.blas'"),
        Arguments.of(List.of("solver.name=newton"), "'solver.name' (command line): 'newton' is"
            + " not one of"),
        Arguments.of(List.of("solver.f2ba.KK=3"), "unknown config key 'solver.f2ba.KK'"),
        Arguments.of(List.of("solver.name=aid-cg", "solver.aid-cg.cg-steps=0"),
            "'solver.aid-cg.cg-steps' (command line): 0 is less than 1"),
        Arguments.of(List.of("solver.name=f2sa", "solver.f2sa.lambda-max=0.5"),
            "'solver.f2sa.lambda-max' (command line): 0.5 is below lambda0 = 1.0"),
        Arguments.of(List.of("solver.name=bome", "solver.bome.phi=gap"),
            "'solver.bome.phi' (command line): 'gap' is not one of [grad-norm, value]"),
        Arguments.of(List.of("solver.name=itd", "problem=example-3.1"), "solver.name = itd:"
            + " itd needs Hessian-vector products, but the lower level is constrained to a box"),
        Arguments.of(List.of("solver.theory.enabled=true", "solver.name=soba"),
            "theory mode sets the parameters of F²BA (solver.name = f2ba), not of soba"),
        Arguments.of(List.of("model.type=network", "model.init=zeros"), "'model.init'"
            + " (command line): zeros would hold a network where it starts"),
        Arguments.of(List.of("model.type=network", "problem=regtune",
            "regtune.granularity=per-class"), "'regtune.granularity' (command line): per-class"
            + " and per-feature strengths are the linear model's"),
        Arguments.of(List.of("model.type=network", "model.network.hidden-units=0"),
            "'model.network.hidden-units'"),
        Arguments.of(List.of("model.type=network", "model.network.activation=tanh"),
            "'model.network.activation'"),
        Arguments.of(List.of("output.dir=" + blocker.resolve("out")), "output.dir"),
        Arguments.of(List.of("diagnostics.every=0"), "'diagnostics.every'"),
        Arguments.of(List.of("diagnostics.tolerance=0"), "'diagnostics.tolerance'"),
        Arguments.of(List.of("diagnostics.exact-hypergradient=true", "hyperclean.ridge=0"),
            "'hyperclean.ridge'"),
        Arguments.of(List.of("solver.f2ba.tau=1e300"),
            "diverged (NaN or Inf); try smaller step sizes under solver.f2ba"),
        Arguments.of(List.of("engine=spark", "spark.master=foo://x"),
            "spark.master 'foo://x' (config key 'spark.master') is not a master URL"),
        Arguments.of(List.of("engine=spark", "spark.master=local[x]"), "is not a master URL"),
        Arguments.of(List.of("engine=spark", "spark.master=spark://127.0.0.1:1"),
            "no master answers at 127.0.0.1:1 (Connection refused)"),
        Arguments.of(List.of("engine=spark", "spark.master=spark://nohost.invalid:7077"),
            "no master answers at nohost.invalid:7077 (unknown host)"),
        Arguments.of(List.of("engine=spark", "spark.secret-file=" + openSecret),
            "can be read or written by others than its owner: chmod 600 it"),
        Arguments.of(List.of("!" + unknownKeyConf), "unknown config key 'solver.KK' ("
            + unknownKeyConf + ": 2)"));
  }

  /** A Parquet table of 20 rows of 4 zero features and class 0, but for the rows given. */
  private static String table(Path d, String name, Map<Integer, Row> exceptions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(exceptions.getOrDefault(i, RowFactory.create(Vectors.dense(new double[4]), 0.0)));
    }
    return TestTables.write(rows, new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType), d.resolve(name), 1);
  }

  private static List<String> tableRun(String train, String test, String... more) {
    List<String> args = new ArrayList<>(List.of("data.format=spark-source",
        "data.spark-source.train=" + train, "data.spark-source.test=" + test,
        "data.train-size=10", "data.val-size=5", "data.test-size=5"));
    args.addAll(List.of(more));
    return args;
  }

  private static List<String> onExecutors(List<String> args) {
    List<String> more = new ArrayList<>(args);
    more.add("engine=spark");
    return more;
  }

  private static List<String> idx(Path images, Path labels, String... sizes) {
    List<String> args = new ArrayList<>(List.of("data.train-images=" + images,
        "data.train-labels=" + labels));
    args.addAll(List.of(sizes));
    return args;
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badInputs")
  void badInputGivesOneClearError(List<String> overrides, String expected) {
    List<String> args;
    if (overrides.get(0).startsWith("!")) {
      args = new ArrayList<>(smallRun());
      args.set(0, overrides.get(0).substring(1));
    } else {
      args = smallRun(overrides.toArray(String[]::new));
    }
    StringWriter err = new StringWriter();
    int code = F2baApp.run(new PrintWriter(err), args.toArray(String[]::new));
    assertEquals(2, code, "exit code; stderr: " + err);
    String message = err.toString().trim();
    assertTrue(message.startsWith("error: ") && message.contains(expected),
        "expected a message containing '" + expected + "', got: " + message);
    assertEquals(1, message.lines().count(), "one line: " + message);
  }

  @Test
  void missingConfigFileIsNamed() {
    StringWriter err = new StringWriter();
    assertEquals(2, F2baApp.run(new PrintWriter(err), "conf/nope.conf"));
    assertTrue(err.toString().contains("conf/nope.conf: no such config file"));
  }

  @Test
  void failedRunKeepsEarlierResults() throws Exception {
    Path out = dir.resolve("kept");
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err),
        smallRun("output.dir=" + out).toArray(String[]::new)), err.toString());
    String summary = Files.readString(out.resolve("summary.json"));
    String metrics = Files.readString(out.resolve("metrics.csv"));
    assertEquals(2, F2baApp.run(new PrintWriter(err),
        smallRun("output.dir=" + out, "solver.f2ba.tau=1e300").toArray(String[]::new)));
    assertEquals(summary, Files.readString(out.resolve("summary.json")));
    assertEquals(metrics, Files.readString(out.resolve("metrics.csv")));
    assertTrue(Files.exists(dir.resolve("kept.incomplete").resolve("metrics.csv")));
  }

  @Test
  void runRefusedBeforeItStartsLeavesNothingBehind() {
    Path out = dir.resolve("never");
    StringWriter err = new StringWriter();
    assertEquals(2, F2baApp.run(new PrintWriter(err), smallRun("output.dir=" + out,
        "data.train-images=" + dir.resolve("missing")).toArray(String[]::new)));
    assertTrue(!Files.exists(out) && !Files.exists(dir.resolve("never.incomplete")),
        err.toString());
  }
}
