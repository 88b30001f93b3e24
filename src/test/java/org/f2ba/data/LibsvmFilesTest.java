package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibsvmFilesTest {
  @TempDir
  Path dir;

  @Test
  void readsLinesWithTheLabelOffsetDenselyWhenAThirdOfTheFeaturesAreSet() throws Exception {
    Path file = Files.writeString(dir.resolve("a.libsvm"),
        "# a comment\n1 1:0.5 3:2\n\n3 2:-1\n  2\n");
    LabeledData data = (LabeledData) LibsvmFiles.load(file.toString(), 3, 3, 1);
    assertArrayEquals(new double[] {0, 2, 1}, data.labels());
    assertArrayEquals(new double[] {0.5, 0, 2, 0, -1, 0, 0, 0, 0}, data.features());
  }

  @Test
  void readsADirectoryOfPartFilesInNameOrderAndGzippedOnes() throws Exception {
    Path parts = Files.createDirectory(dir.resolve("parts"));
    Files.writeString(parts.resolve("part-00001"), "2 2:1\n");
    try (OutputStream out = new GZIPOutputStream(
        Files.newOutputStream(parts.resolve("part-00000.gz")))) {
      out.write("0 1:3\n1 1:4 2:5\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(parts.resolve("_SUCCESS"), "");
    LabeledData data = (LabeledData) LibsvmFiles.load(parts.toString(), 2, 3, 0);
    assertArrayEquals(new double[] {0, 1, 2}, data.labels());
    assertArrayEquals(new double[] {3, 0, 4, 5, 0, 1}, data.features());
  }

  @Test
  void keepsFilesWithFewFeaturesSetSparseAndTheSameAsTheirDenseForm() throws Exception {
    StringBuilder text = new StringBuilder();
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      int a = 1 + random.nextInt(50);
      int b = a + 1 + random.nextInt(150);
      text.append(i % 4).append(' ').append(a).append(':').append(random.nextGaussian())
          .append(' ').append(b).append(':').append(1 + random.nextInt(5)).append('\n');
    }
    Path file = Files.writeString(dir.resolve("sparse.libsvm"), text);
    SparseLabeledData sparse = (SparseLabeledData) LibsvmFiles.load(file.toString(), 200, 4, 0);
    LabeledData dense = sparse.dense();
    assertEquals(600, sparse.nonZeros());
    assertArrayEquals(dense.vector(7).toArray(), sparse.vector(7).toArray());
    FeatureStatistics s = sparse.statistics();
    FeatureStatistics d = dense.statistics();
    for (int j = 0; j < 200; j++) {
      assertEquals(d.mean(j), s.mean(j));
      assertEquals(d.std(j), s.std(j));
    }
    FeatureScaler scaler = FeatureScaler.scalingOnly(s);
    assertArrayEquals(dense.scaled(scaler).slice("d", 100, 140).block(3, 30).values(),
        Blocks.dense(sparse.scaled(scaler).slice("s", 100, 140).block(3, 30)));
    assertThrows(IllegalArgumentException.class,
        () -> sparse.scaled(FeatureScaler.standardizing(s)));
  }

  @Test
  void everyMalformedLineIsNamedByFileAndLine() throws Exception {
    String[][] cases = {
        {"0 1:1\n\n7 2:1\n", "line 3: label 7 is not a class: with data.libsvm.label-offset 0"
            + " labels must be integers in [0, 2]"},
        {"0 1:1\n1 x:y\n", "line 2: 'x:y' has no integer index"},
        {"0 1:1\n1 1:y\n", "line 2: the value of feature 1 'y' is not a number"},
        {"0 1:1 2\n", "line 1: '2' is not index:value"},
        {"zero 1:1\n", "line 1: label 'zero' is not a number"},
        {"0 3:1\n", "line 1: feature index 3 is outside 1..2 (data.libsvm.num-features)"},
        {"0 2:1 1:1\n", "line 1: feature index 1 does not follow 2: indices must increase"},
        {"0.5 1:1\n", "line 1: label 0.5 is not a class"},
        {"0 1:1\n1 2:NaN\n", "line 2: the value of feature 2 is NaN (features must be finite)"}};
    for (String[] c : cases) {
      Path file = Files.writeString(dir.resolve("bad.libsvm"), c[0]);
      InputException e = assertThrows(InputException.class,
          () -> LibsvmFiles.load(file.toString(), 2, 3, 0));
      assertTrue(e.getMessage().startsWith(file + ": " + c[1]), e.getMessage());
    }
  }

  @Test
  void missingFileIsNamed() {
    InputException e = assertThrows(InputException.class,
        () -> LibsvmFiles.load(dir.resolve("nope").toString(), 2, 3, 0));
    assertEquals(dir.resolve("nope") + ": no such file", e.getMessage());
  }
}
