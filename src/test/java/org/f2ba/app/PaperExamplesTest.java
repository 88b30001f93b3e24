package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The paper's small instances without strong convexity behave as Sections 3 and 4.1 say. */
class PaperExamplesTest {
  @TempDir
  Path dir;

  private List<CSVRecord> run(String conf, String name, String... overrides) throws Exception {
    String[] args = new String[overrides.length + 2];
    args[0] = conf;
    args[1] = "output.dir=" + dir.resolve(name);
    System.arraycopy(overrides, 0, args, 2, overrides.length);
    StringWriter err = new StringWriter();
    assertEquals(0, F2baApp.run(new PrintWriter(err), args), err.toString());
    try (CSVParser parser = CSVParser.parse(dir.resolve(name).resolve("metrics.csv"),
        StandardCharsets.UTF_8,
        CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())) {
      return parser.getRecords();
    }
  }

  private double finalX(String name) throws Exception {
    return Double.parseDouble(Files.readAllLines(dir.resolve(name).resolve("x.txt")).get(0));
  }

  /** Every instance ships to Spark executors and gives there the iterates it gives in process. */
  @ParameterizedTest
  @ValueSource(strings = {"conf/hard-instance.conf", "conf/example-3.1.conf",
      "conf/example-4.1.conf", "conf/pl-synthetic.conf"})
  void everyInstanceRunsOnSparkAsInProcess(String conf) throws Exception {
    String name = Path.of(conf).getFileName().toString();
    String[] small = {"solver.T=3", "spark.partitions=2", "pl-synthetic.samples=64",
        "pl-synthetic.noise-upper=0.1", "pl-synthetic.noise-lower=0.1"};
    List<CSVRecord> rows = run(conf, name + "-local", concat(small, "engine=local"));
    run(conf, name + "-spark", concat(small, "engine=spark"));
    // No validation or test set: blank cells, and no such scores in the summary.
    assertEquals("", rows.get(rows.size() - 1).get("test_acc"));
    assertFalse(Files.readString(dir.resolve(name + "-local").resolve("summary.json"))
        .contains("val_loss"));
    for (String file : List.of("x.txt", "y.txt")) {
      assertEquals(Files.readString(dir.resolve(name + "-local").resolve(file)),
          Files.readString(dir.resolve(name + "-spark").resolve(file)), file);
    }
  }

  private static String[] concat(String[] a, String b) {
    String[] all = Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  @Test
  void example31EstimateBlowsUpAtTheDiscontinuityAndXJumpsAcrossIt() throws Exception {
    List<CSVRecord> rows = run("conf/example-3.1.conf", "e31");
    double worstError = rows.stream().skip(1)
        .mapToDouble(r -> Double.parseDouble(r.get("hypergrad_est_error"))).max().orElseThrow();
    assertTrue(worstError > 1, "largest estimate error " + worstError);
    assertTrue(finalX("e31") > 0, "x ends right of the discontinuity");
  }

  @Test
  void example41FollowsTheOneSidedGradientsOfMinXZero() throws Exception {
    List<CSVRecord> left = run("conf/example-4.1.conf", "left", "examples.x0=-0.5");
    assertEquals(1.0, Double.parseDouble(left.get(left.size() - 1).get("hypergrad_norm_est")),
        1e-12);
    assertTrue(finalX("left") < -1.5, "φ = x is unbounded below: x keeps decreasing");
    run("conf/example-4.1.conf", "right", "examples.x0=0.5");
    assertEquals(0.5, finalX("right"), 0, "φ is flat right of 0: x stays");
  }
}
