package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.f2ba.TestTables;
import org.f2ba.data.ImageFiles;
import org.f2ba.data.LabeledData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export of a config's files as tables in Spark ML's form. */
class TableExportTest {
  private static final String DIR = "data/fashion-mnist-small/";

  @TempDir
  Path dir;

  @Test
  void tablesHoldTheFilesRowsInOrderAndAreNeverReplaced() throws Exception {
    TestTables.session(); // the tests' Spark, which the export then uses
    String out = dir.resolve("tables").toString();
    StringWriter err = new StringWriter();
    assertEquals(0, TableExport.run(new PrintWriter(err), "conf/default.conf", out),
        err.toString());
    LabeledData images = (LabeledData) ImageFiles.load(DIR + "t10k-images-idx3-ubyte.gz",
        DIR + "t10k-labels-idx1-ubyte.gz", 10);
    LabeledData table = TestTables.read(out + "/test", "test", 10);
    assertArrayEquals(images.labels(), table.labels());
    assertArrayEquals(images.features(), table.features());
    assertEquals(8000, TestTables.read(out + "/train", "train", 10).rows());

    long files = Files.walk(dir).count();
    StringWriter again = new StringWriter();
    assertEquals(2, TableExport.run(new PrintWriter(again), "conf/default.conf", out));
    assertEquals("error: " + out + " exists: the export writes a new directory, and never"
        + " replaces one", again.toString().trim());
    assertEquals(files, Files.walk(dir).count());
  }
}
