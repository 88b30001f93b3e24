package org.f2ba.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.f2ba.data.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The program deletes nothing it did not write: outputs and checkpoints. */
class OutputSafetyTest {
  @TempDir
  Path dir;

  private List<String> args(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("conf/default.conf", "engine=local",
        "data.train-size=300", "data.val-size=100", "data.test-size=100", "solver.T=2",
        "solver.f2ba.K=2", "output.dir=" + out));
    args.addAll(List.of(more));
    return args;
  }

  /** Runs the application; returns its exit code and, after a tab, what it printed as error. */
  private String run(List<String> args) {
    StringWriter err = new StringWriter();
    int code = F2baApp.run(new PrintWriter(err), args.toArray(String[]::new));
    return code + "\t" + err.toString().trim();
  }

  private void assertRefused(String outcome, String... parts) {
    assertTrue(outcome.startsWith("2\terror: "), outcome);
    assertEquals(1, outcome.lines().count(), outcome);
    for (String part : parts) {
      assertTrue(outcome.contains(part), "expected '" + part + "' in: " + outcome);
    }
  }

  /** Every file below {@code root}, with its bytes (as Latin-1 text: PNGs too). */
  private static Map<Path, String> snapshot(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      Map<Path, String> contents = new TreeMap<>();
      for (Path f : files) {
        contents.put(f, Files.readString(f, StandardCharsets.ISO_8859_1));
      }
      return contents;
    }
  }

  @Test
  void directoryWithForeignFilesIsRefusedAndUntouched() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("projects"));
    Files.writeString(home.resolve("thesis.tex"), "years of work");
    Files.writeString(home.resolve("projects").resolve("notes.txt"), "more");
    Map<Path, String> before = snapshot(home);
    assertRefused(run(args(home)), "output.dir '" + home + "'", "holds the directory projects",
        "did not write", "choose another output.dir");
    assertEquals(before, snapshot(home));
    assertFalse(Files.exists(dir.resolve("home.incomplete")));
  }

  @Test
  void aFileIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("results"), "mine");
    assertRefused(run(args(file)), "output.dir", file + " is a file");
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void emptyDirectoryAndEarlierResultsAreReplaced() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    assertEquals("0\t", run(args(out)));
    assertTrue(Files.exists(out.resolve("summary.json")));
    assertTrue(Files.readString(out.resolve(RunOutput.MANIFEST)).contains("x.txt"));
    String first = Files.readString(out.resolve("y.txt"));
    assertEquals("0\t", run(args(out, "seed=2")));
    assertTrue(!first.equals(Files.readString(out.resolve("y.txt"))), "not replaced");
    assertFalse(Files.exists(dir.resolve("out.replaced")));
    assertFalse(Files.exists(dir.resolve("out.incomplete")));
  }

  @Test
  void earlierResultsWithAForeignFileBesideOrBelowAreRefused() throws Exception {
    Path out = dir.resolve("out");
    assertEquals("0\t", run(args(out)));
    Files.writeString(out.resolve("analysis.ipynb"), "{}");
    Map<Path, String> before = snapshot(out);
    assertRefused(run(args(out)), "holds analysis.ipynb");
    assertEquals(before, snapshot(out));

    Files.delete(out.resolve("analysis.ipynb"));
    Path nested = Files.createDirectories(out.resolve("plots").resolve("final"));
    Files.writeString(nested.resolve("figure.png"), "png");
    before = snapshot(out);
    assertRefused(run(args(out)), "holds the directory plots");
    assertEquals(before, snapshot(out));
  }

  @Test
  void foreignStagingDirectoryIsRefused() throws Exception {
    Path staging = Files.createDirectories(dir.resolve("out.incomplete"));
    Files.writeString(staging.resolve("draft.txt"), "mine");
    assertRefused(run(args(dir.resolve("out"))), "out.incomplete holds draft.txt");
    assertEquals("mine", Files.readString(staging.resolve("draft.txt")));
  }

  @Test
  void resultsStayStagedWhereTheDirectoryReceivedForeignFilesDuringTheRun() throws Exception {
    Path out = dir.resolve("late");
    RunOutput output = new RunOutput(out.toString(), List.of("iter"));
    output.row(List.of(0));
    Files.createDirectories(out);
    Files.writeString(out.resolve("mine.txt"), "mine");
    InputException e = assertThrows(InputException.class, () -> output.commit(Map.of()));
    assertTrue(e.getMessage().contains("the results are in " + output.location()),
        e.getMessage());
    assertEquals("mine", Files.readString(out.resolve("mine.txt")));
    assertTrue(Files.exists(Path.of(output.location()).resolve("summary.json")));
  }

  @Test
  void checkpointDirectoryWithForeignFilesIsRefused() throws Exception {
    Path ckpt = Files.createDirectories(dir.resolve("ckpt"));
    Files.writeString(ckpt.resolve("ckpt-00000002.ckpt"), "not a checkpoint");
    assertRefused(run(args(dir.resolve("a"), "checkpoint.every=1", "checkpoint.dir=" + ckpt)),
        "checkpoint.dir '" + ckpt + "' holds ckpt-00000002.ckpt", "not a checkpoint");
    assertEquals("not a checkpoint", Files.readString(ckpt.resolve("ckpt-00000002.ckpt")));
    Files.delete(ckpt.resolve("ckpt-00000002.ckpt"));
    Files.createDirectories(ckpt.resolve("old"));
    assertRefused(run(args(dir.resolve("a"), "checkpoint.every=1", "checkpoint.dir=" + ckpt)),
        "holds the directory old");
  }

  @Test
  void freshRunReplacesAnEarlierRunsCheckpointsOnceItsFirstIsWritten() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    assertEquals("0\t", run(args(dir.resolve("first"), "solver.T=4", "checkpoint.every=1",
        "checkpoint.dir=" + ckpt)));
    assertEquals(4, checkpoints(ckpt).size());
    assertEquals("0\t", run(args(dir.resolve("second"), "solver.T=2", "checkpoint.every=2",
        "checkpoint.dir=" + ckpt)));
    assertEquals(List.of("ckpt-00000002.ckpt"), checkpoints(ckpt));
    // Resuming continues the newest run, not the earlier one's iteration 4.
    List<String> resume = args(dir.resolve("second"), "solver.T=3", "checkpoint.every=2",
        "checkpoint.dir=" + ckpt);
    resume.add(0, "--resume");
    assertEquals("0\t", run(resume));
    assertEquals(1 + 4, Files.readAllLines(dir.resolve("second").resolve("metrics.csv")).size());
  }

  private static List<String> checkpoints(Path ckpt) throws Exception {
    try (Stream<Path> files = Files.list(ckpt)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ckpt-"))
          .sorted().toList();
    }
  }
}
