package org.f2ba.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.f2ba.data.InputException;

/**
 * A run's output directory. Files are written into "DIR.incomplete", and moved to DIR only by
 * {@link #commit}, so that a run that fails leaves any earlier results in DIR untouched (and
 * its own partial metrics in DIR.incomplete).
 */
public final class RunOutput implements AutoCloseable {
  private final Path dir;
  private final Path staging;
  private final CSVPrinter metrics;

  public RunOutput(String directory, List<String> columns) {
    this.dir = Path.of(directory).toAbsolutePath().normalize();
    this.staging = createStaging(directory);
    try {
      Writer writer = Files.newBufferedWriter(staging.resolve("metrics.csv"),
          StandardCharsets.UTF_8);
      metrics = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
          .setHeader(columns.toArray(String[]::new)).build());
    } catch (IOException | UncheckedIOException e) {
      throw new InputException("output.dir '" + directory + "': cannot write there ("
          + e.getMessage() + ")", e);
    }
  }

  /**
   * Fails with one message naming output.dir where the run could not write its results: called
   * once before any work, so that an unwritable directory is refused at once. Leaves nothing
   * behind.
   */
  public static void checkWritable(String directory) {
    Path staging = createStaging(directory);
    try {
      Files.delete(staging);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes an empty "DIR.incomplete" beside the output directory and returns it. */
  private static Path createStaging(String directory) {
    Path dir = Path.of(directory).toAbsolutePath().normalize();
    Path staging = dir.resolveSibling(dir.getFileName() + ".incomplete");
    try {
      deleteTree(staging);
      Files.createDirectories(staging);
      return staging;
    } catch (IOException | UncheckedIOException e) {
      throw new InputException("output.dir '" + directory + "': cannot write there ("
          + e.getMessage() + ")", e);
    }
  }

  /** Appends one row of metrics.csv and flushes it, so that the file is read as it grows. */
  public void row(List<?> values) {
    try {
      metrics.printRecord(values);
      metrics.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a vector, one value a line, as {@code name} in the output directory. */
  public void vector(String name, double[] values) {
    StringBuilder text = new StringBuilder(values.length * 20);
    for (double v : values) {
      text.append(v).append('\n');
    }
    try {
      Files.writeString(staging.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes summary.json and moves the finished results to the output directory. */
  public Path commit(Map<String, ?> summary) {
    try {
      metrics.close();
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(staging.resolve("summary.json").toFile(), summary);
      Path old = dir.resolveSibling(dir.getFileName() + ".replaced");
      deleteTree(old);
      if (Files.exists(dir)) {
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
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

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
