package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.f2ba.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  @Test
  void rawAndGzippedFilesReadTheSame() throws Exception {
    int[] pixels = {0, 255, 17, 128, 3, 9};
    Path raw = IdxFiles.bytes(dir.resolve("raw"), new int[] {2, 3}, pixels, false);
    Path gz = IdxFiles.bytes(dir.resolve("zipped"), new int[] {2, 3}, pixels, true);
    IdxReader.IdxArray a = IdxReader.read(raw.toString());
    IdxReader.IdxArray b = IdxReader.read(gz.toString());
    assertArrayEquals(new int[] {2, 3}, a.dims());
    assertArrayEquals(a.values(), b.values());
    assertEquals(255.0, a.values()[1]);
    assertEquals(3, a.valuesPerItem());
  }

  @Test
  void imagesAreScaledToTheUnitIntervalAndPairedWithLabels() throws Exception {
    Path images = IdxFiles.bytes(dir.resolve("img"), new int[] {2, 2, 2},
        new int[] {0, 51, 102, 255, 255, 0, 0, 0}, true);
    Path labels = IdxFiles.bytes(dir.resolve("lab"), new int[] {2}, new int[] {3, 9}, false);
    LabeledData data = (LabeledData) ImageFiles.load(images.toString(), labels.toString(), 10);
    assertEquals(4, data.dim());
    assertArrayEquals(new double[] {0, 0.2, 0.4, 1, 1, 0, 0, 0}, data.features(), 1e-12);
    assertArrayEquals(new double[] {3, 9}, data.labels());
  }

  @Test
  void embeddedFashionMnistSubsetIsReadable() {
    LabeledData data = (LabeledData) ImageFiles.load(
        "data/fashion-mnist-small/t10k-images-idx3-ubyte.gz",
        "data/fashion-mnist-small/t10k-labels-idx1-ubyte.gz", 10);
    assertEquals(2000, data.rows());
    assertEquals(784, data.dim());
  }
}
