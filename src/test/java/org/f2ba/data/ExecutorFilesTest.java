package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SparseVector;
import org.f2ba.IdxFiles;
import org.f2ba.SparkTestContext;
import org.f2ba.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that Spark's executors read, each a part of the rows: the rows, labels and statistics
 * of the same files read here, and the same errors, naming the same file, row and line.
 */
class ExecutorFilesTest {
  private final JavaSparkContext jsc = SparkTestContext.get();

  @TempDir
  Path dir;

  @Test
  void idxFilesReadInRangesAreTheFilesReadHere() throws Exception {
    int n = 37;
    Random random = new Random(5);
    int[] pixels = new int[n * 9];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(4);
      for (int j = 0; j < 9; j++) {
        pixels[i * 9 + j] = random.nextInt(3) == 0 ? 0 : random.nextInt(256);
      }
    }
    for (boolean gzip : new boolean[] {false, true}) {
      Path images = IdxFiles.bytes(dir.resolve("images-" + gzip), new int[] {n, 3, 3}, pixels,
          gzip);
      Path imageLabels = IdxFiles.bytes(dir.resolve("labels-" + gzip), new int[] {n}, labels,
          gzip);
      InMemoryRows here = ImageFiles.load(images.toString(), imageLabels.toString(), 4);
      TableRows there = ImageFiles.read(jsc, images.toString(), imageLabels.toString(), 4);
      assertSameRows(here, there);
    }
  }

  @Test
  void idxErrorsFoundByTheExecutorsReadAsTheDriversDo() throws Exception {
    Path images = IdxFiles.floats(dir.resolve("images"), new int[] {30, 2},
        withValueAt(60, 47, Float.NaN));
    Path goodImages = IdxFiles.floats(dir.resolve("good-images"), new int[] {30, 2},
        new float[60]);
    Path labels = IdxFiles.bytes(dir.resolve("labels"), new int[] {30}, new int[30], false);
    int[] wrong = new int[30];
    wrong[21] = 7;
    Path badLabels = IdxFiles.bytes(dir.resolve("bad-labels"), new int[] {30}, wrong, false);
    assertSameError("sample 23, feature 1 is NaN", () -> ImageFiles.load(images.toString(),
        labels.toString(), 3), () -> ImageFiles.read(jsc, images.toString(), labels.toString(),
        3));
    byte[] bytes = Files.readAllBytes(goodImages);
    Path longer = IdxFiles.write(dir.resolve("longer"), java.util.Arrays.copyOf(bytes,
        bytes.length + 3), true);
    Path shorter = IdxFiles.write(dir.resolve("shorter"), java.util.Arrays.copyOf(bytes,
        bytes.length - 5), true);
    assertSameError("longer than its header announces", () -> ImageFiles.load(
        longer.toString(), labels.toString(), 3), () -> ImageFiles.read(jsc, longer.toString(),
        labels.toString(), 3));
    assertSameError("truncated", () -> ImageFiles.load(shorter.toString(), labels.toString(),
        3), () -> ImageFiles.read(jsc, shorter.toString(), labels.toString(), 3));
    assertSameError("label 7.0 of sample 21 is not one of the 3 classes", () -> ImageFiles.load(
        goodImages.toString(), badLabels.toString(), 3), () -> ImageFiles.read(jsc,
        goodImages.toString(), badLabels.toString(), 3));
  }

  @Test
  void libsvmFilesReadInSplitsAreTheFilesReadHere() throws Exception {
    SparseLabeledData data = Blocks.sparse("data", 400, 300, 3, 6, 8);
    Path parts = Files.createDirectories(dir.resolve("parts"));
    // A raw part file (cut into splits) with comments and blank lines, and a gzipped one.
    Files.writeString(parts.resolve("part-0"), "# made for a test\n\n"
        + libsvm(data, 0, 250).replace("\n1 ", "\n\n1 "));
    IdxFiles.write(parts.resolve("part-1"), libsvm(data, 250, 400).getBytes(), true);
    InMemoryRows here = LibsvmFiles.load(parts.toString(), 300, 3, 0);
    TableRows there = LibsvmFiles.read(jsc, parts.toString(), 300, 3, 0);
    assertEquals(true, there.sparse());
    assertSameRows(here, there);
  }

  @Test
  void regressionLabelsAreReadAsTheyAreHereAndThereAndNonFiniteOnesRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("targets.libsvm"),
        "151.5 1:0.5 3:2\n-0.25 2:-1\n1e3 1:1\n");
    InMemoryRows here = LibsvmFiles.load(file.toString(), 3, 0, 0);
    assertArrayEquals(new double[] {151.5, -0.25, 1000}, here.labels());
    assertEquals(0, here.numClasses());
    assertSameRows(here, LibsvmFiles.read(jsc, file.toString(), 3, 0, 0));
    // The same file as a Spark data source's table (Spark's own libsvm reader).
    assertArrayEquals(here.labels(), TableRows.read(TestTables.session(), "libsvm",
        Map.of("numFeatures", "3"), file.toString(), "features", "label", 0).labels());
    Path bad = Files.writeString(dir.resolve("nan.libsvm"), "1.5 1:1\nNaN 2:1\n");
    assertSameError(bad + ": line 2: label NaN is not a finite number", () ->
        LibsvmFiles.load(bad.toString(), 3, 0, 0), () -> LibsvmFiles.read(jsc, bad.toString(),
        3, 0, 0));
  }

  @Test
  void libsvmErrorsNameTheFileAndLineWhereverTheyAreRead() throws Exception {
    SparseLabeledData data = Blocks.sparse("data", 200, 10, 3, 3, 9);
    String[] lines = libsvm(data, 0, 200).split("\n");
    lines[170] = "1 3:0.5 2:0.25";
    Path file = Files.writeString(dir.resolve("bad.libsvm"), String.join("\n", lines) + "\n");
    assertSameError(file + ": line 171: feature index 2 does not follow 3", () ->
        LibsvmFiles.load(file.toString(), 10, 3, 0), () -> LibsvmFiles.read(jsc,
        file.toString(), 10, 3, 0));
  }

  private static float[] withValueAt(int length, int at, float value) {
    float[] values = new float[length];
    values[at] = value;
    return values;
  }

  private static String libsvm(SparseLabeledData data, int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < to; i++) {
      text.append(data.labels()[i]);
      SparseVector v = (SparseVector) data.vector(i);
      for (int k = 0; k < v.indices().length; k++) {
        text.append(' ').append(v.indices()[k] + 1).append(':').append(v.values()[k]);
      }
      text.append('\n');
    }
    return text.toString();
  }

  /** Same rows, labels, storage and statistics; the blocks' rows, wherever they were cut. */
  private static void assertSameRows(InMemoryRows here, TableRows there) {
    assertEquals(here.rows(), there.rows());
    assertEquals(here.dim(), there.dim());
    assertEquals(here.sparse(), there.sparse());
    assertArrayEquals(here.labels(), there.labels());
    assertArrayEquals(Blocks.dense(here.block(0, here.rows())), rows(there));
    FeatureStatistics a = here.statistics();
    FeatureStatistics b = there.statistics();
    for (int j = 0; j < here.dim(); j++) {
      assertEquals(a.mean(j), b.mean(j), "mean of feature " + j);
      assertEquals(a.std(j), b.std(j), "deviation of feature " + j);
    }
  }

  /** The rows of the blocks that the executors make, in row order. */
  private static float[] rows(TableRows rows) {
    List<DataBlock> blocks = rows.blocks(new int[0], 1 << 20).collect();
    int width = rows.dim() + 1;
    float[] values = new float[rows.rows() * width];
    for (DataBlock block : blocks) {
      float[] dense = Blocks.dense(block);
      for (int i = 0; i < block.rows(); i++) {
        System.arraycopy(dense, i * width, values, block.index()[i] * width, width);
      }
    }
    return values;
  }

  private static void assertSameError(String expected, Runnable here, Runnable there) {
    String a = assertThrows(InputException.class, here::run).getMessage();
    String b = assertThrows(InputException.class, there::run).getMessage();
    assertEquals(a, b);
    assertEquals(true, a.contains(expected), a);
  }
}
