package org.f2ba.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.f2ba.data.InputException;
import org.f2ba.report.Figure;
import org.f2ba.report.RunReport;

/**
 * A run's output directory. Files are written into "DIR.incomplete", and moved to DIR only by
 * {@link #commit}, so that a run that fails leaves any earlier results in DIR untouched (and
 * its own partial metrics in DIR.incomplete).
 *
 * <p>Every directory a run writes holds a manifest, {@value #MANIFEST}, naming each file the run
 * wrote, recorded before the file is created. A directory is replaced only where it is absent,
 * empty, or holds nothing but its manifest and the files it names; anything else (a file, a
 * directory with other content, however deep) is refused before the run starts, and deleting
 * one removes exactly the files its manifest names.
 */
public final class RunOutput implements RunRecord, AutoCloseable {
  static final String MANIFEST = ".f2ba-output";
  /** Suffix of the manifest's next version, renamed over it once written. */
  private static final String NEXT = ".next";
  private static final String HEADER = "# Files written by one f2ba run; a later run may replace"
      + " a directory that holds only these.";

  private final String key;
  private final Path dir;
  private final Path staging;
  private final List<String> written = new ArrayList<>();
  private final CSVPrinter metrics;
  private final List<String> columns;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<Figure> figures = new ArrayList<>();

  public RunOutput(String directory, List<String> columns) {
    this.key = "output.dir '" + directory + "'";
    this.dir = Path.of(directory).toAbsolutePath().normalize();
    this.staging = sibling(dir, ".incomplete");
    this.columns = List.copyOf(columns);
    checkReplaceable(directory);
    try {
      deleteOwned(staging, key);
      Files.createDirectories(staging);
      Writer writer = Files.newBufferedWriter(create("metrics.csv"), StandardCharsets.UTF_8);
      metrics = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
          .setHeader(columns.toArray(String[]::new)).build());
    } catch (IOException | UncheckedIOException e) {
      throw new InputException(key + ": cannot write there (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Refuses, with one message naming output.dir, a directory the run could not write its
   * results to or could not replace without deleting what it did not write: DIR, DIR.incomplete
   * and DIR.replaced must each be absent, empty or a run's own. Called once before any work;
   * leaves nothing behind.
   */
  public static void checkReplaceable(String directory) {
    Path dir = Path.of(directory).toAbsolutePath().normalize();
    String key = "output.dir '" + directory + "'";
    for (Path p : List.of(dir, sibling(dir, ".incomplete"), sibling(dir, ".replaced"))) {
      String foreign = foreignContent(p);
      if (foreign != null) {
        throw new InputException(key + ": " + foreign + ", which this program did not write;"
            + " it replaces only an empty directory or an earlier run's results: choose another"
            + " output.dir, or move that away");
      }
    }
    Path parent = dir.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
      throw new InputException(key + ": cannot write there (" + (parent == null ? dir
          : parent) + " is not a writable directory)");
    }
  }

  /** Appends one row of metrics.csv and flushes it, so that the file is read as it grows. */
  @Override
  public void row(List<?> values) {
    try {
      metrics.printRecord(values);
      metrics.flush();
      rows.add(values.stream().map(String::valueOf).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a vector, one value a line, as {@code name} in the output directory. */
  @Override
  public void vector(String name, double[] values) {
    // Line by line: x of hyper-cleaning has one entry per training row.
    try (BufferedWriter out = Files.newBufferedWriter(create(name))) {
      for (double v : values) {
        out.write(Double.toString(v));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kept for {@link #writeReport}. */
  @Override
  public void figure(Figure figure) {
    figures.add(figure);
  }

  /**
   * Writes {@value RunReport#PAGE} and its plots: the metrics rows recorded so far, {@code
   * summary}, and the figures; {@code xMetrics} names the columns that are metrics of x.
   */
  public void writeReport(Map<String, ?> summary, List<String> xMetrics) throws IOException {
    RunReport report = new RunReport(columns, rows, summary, xMetrics, figures);
    for (Map.Entry<String, byte[]> file : report.files().entrySet()) {
      Files.write(create(file.getKey()), file.getValue());
    }
  }

  /** The directory the run writes into until it ends well. */
  @Override
  public String location() {
    return staging.toString();
  }

  /**
   * Writes summary.json and moves the finished results to the output directory, replacing an
   * earlier run's. Where DIR has meanwhile received files this program did not write, the
   * results stay in DIR.incomplete and the message says so.
   */
  public Path commit(Map<String, ?> summary) {
    try {
      metrics.close();
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(create("summary.json").toFile(), summary);
      String foreign = foreignContent(dir);
      if (foreign != null) {
        throw new InputException(key + ": " + foreign + ", which this program did not write"
            + " (it appeared during the run); the results are in " + staging);
      }
      Path old = sibling(dir, ".replaced");
      deleteOwned(old, key);
      if (Files.exists(dir)) {
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      deleteOwned(old, key);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      metrics.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records {@code name} in the manifest, then returns its path in the staging directory. */
  private Path create(String name) throws IOException {
    written.add(name);
    Path manifest = staging.resolve(MANIFEST);
    Path next = staging.resolve(MANIFEST + NEXT);
    Files.writeString(next, HEADER + "\n" + String.join("\n", written) + "\n");
    Files.move(next, manifest, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return staging.resolve(name);
  }

  private static Path sibling(Path dir, String suffix) {
    return dir.resolveSibling(dir.getFileName() + suffix);
  }

  /**
   * Null where {@code p} is absent, an empty directory, or a directory holding only its
   * manifest and the files it names; else a description of the first thing in the way.
   */
  private static String foreignContent(Path p) {
    if (!Files.exists(p)) {
      return null;
    }
    if (!Files.isDirectory(p)) {
      return p + " is a file";
    }
    List<String> listed = manifest(p);
    try (Stream<Path> entries = Files.list(p)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        boolean ours = listed != null && Files.isRegularFile(entry)
            && (name.equals(MANIFEST) || name.equals(MANIFEST + NEXT) || listed.contains(name));
        if (!ours) {
          return p + " holds " + (Files.isDirectory(entry) ? "the directory " : "") + name;
        }
      }
      return null;
    } catch (IOException e) {
      return p + " cannot be read (" + e.getMessage() + ")";
    }
  }

  /** The names a directory's manifest lists, or null where it has none. */
  private static List<String> manifest(Path dir) {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return null;
    }
    try {
      return Files.readAllLines(manifest).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Deletes a run's directory: the files its manifest names, the manifest, then the directory,
   * which is left in place (with a message) where anything else is in it.
   */
  private static void deleteOwned(Path dir, String key) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    String foreign = foreignContent(dir);
    if (foreign != null) {
      throw new InputException(key + ": " + foreign + ", which this program did not write;"
          + " it deletes nothing it did not write: move that away, or choose another"
          + " output.dir");
    }
    List<String> listed = manifest(dir);
    for (String name : listed == null ? List.<String>of() : listed) {
      Files.deleteIfExists(dir.resolve(name));
    }
    Files.deleteIfExists(dir.resolve(MANIFEST + NEXT));
    Files.deleteIfExists(dir.resolve(MANIFEST));
    try {
      Files.delete(dir);
    } catch (DirectoryNotEmptyException e) {
      throw new InputException(key + ": " + dir + " received other files while it was being"
          + " replaced; it is left as it is");
    }
  }
}
