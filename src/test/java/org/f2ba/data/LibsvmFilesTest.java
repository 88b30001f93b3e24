package org.f2ba.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.f2ba.SparkTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibsvmFilesTest {
  @TempDir
  Path dir;

  @Test
  void readsSparseLinesDenselyWithTheLabelOffset() throws Exception {
    Path file = Files.writeString(dir.resolve("a.libsvm"), "1 1:0.5 3:2\n3 2:-1\n2\n");
    LabeledData data = LibsvmFiles.load(SparkTestContext.get().sc(), file.toString(), 3, 3, 1);
    assertArrayEquals(new int[] {0, 2, 1}, data.labels());
    assertArrayEquals(new double[] {0.5, 0, 2, 0, -1, 0, 0, 0, 0}, data.features());
  }

  @Test
  void labelsOutsideTheClassesNameTheLine() throws Exception {
    Path file = Files.writeString(dir.resolve("b.libsvm"), "0 1:1\n7 2:1\n");
    InputException e = assertThrows(InputException.class,
        () -> LibsvmFiles.load(SparkTestContext.get().sc(), file.toString(), 2, 3, 0));
    assertTrue(e.getMessage().contains("line 2 has label 7.0"), e.getMessage());
  }

  @Test
  void malformedLinesAreRefusedNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("c.libsvm"), "0 1:1\n1 x:y\n");
    InputException e = assertThrows(InputException.class,
        () -> LibsvmFiles.load(SparkTestContext.get().sc(), file.toString(), 2, 3, 0));
    assertTrue(e.getMessage().startsWith(file + ": not a readable LIBSVM file"),
        e.getMessage());
  }
}
