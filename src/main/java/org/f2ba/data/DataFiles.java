package org.f2ba.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Data files on any Hadoop-supported file system (local, hdfs://, s3a://, …), raw or gzipped
 * (recognized by their first bytes, not their name).
 */
final class DataFiles {
  private DataFiles() {
  }

  /**
   * The files that {@code name} stands for, in name order: the file itself, the files of a
   * directory (such as Spark's part files; names starting with "_" or "." are skipped), or the
   * matches of a glob pattern.
   */
  static List<Path> expand(String name) {
    Path path = new Path(name);
    try {
      FileSystem fs = path.getFileSystem(new Configuration());
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new InputException(name + ": no such file");
      }
      List<Path> files = new ArrayList<>();
      for (FileStatus match : sorted(matches)) {
        if (!match.isDirectory()) {
          files.add(match.getPath());
          continue;
        }
        for (FileStatus child : sorted(fs.listStatus(match.getPath()))) {
          String childName = child.getPath().getName();
          if (child.isFile() && !childName.startsWith("_") && !childName.startsWith(".")) {
            files.add(child.getPath());
          }
        }
      }
      if (files.isEmpty()) {
        throw new InputException(name + ": no data files there");
      }
      return files;
    } catch (IOException e) {
      throw new InputException(name + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /** A buffered stream of the file's content, decompressed where it is gzipped. */
  static InputStream open(Path path) throws IOException {
    return open(path, new Configuration());
  }

  /** {@link #open(Path)} on the file system that {@code conf} configures. */
  static InputStream open(Path path, Configuration conf) throws IOException {
    InputStream in = new BufferedInputStream(path.getFileSystem(conf).open(path), 1 << 16);
    return gzipped(in) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16)) : in;
  }

  /** Whether the file is gzipped, by its first two bytes. */
  static boolean gzipped(Path path, Configuration conf) throws IOException {
    try (InputStream in = new BufferedInputStream(path.getFileSystem(conf).open(path), 2)) {
      return gzipped(in);
    }
  }

  private static boolean gzipped(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  /** Closes {@code resource} when the Spark task that runs this ends. */
  static void closeWithTask(Closeable resource) {
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException("not in a Spark task");
    }
    task.addTaskCompletionListener((TaskCompletionListener) context -> {
      try {
        resource.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static FileStatus[] sorted(FileStatus[] files) {
    FileStatus[] copy = files.clone();
    Arrays.sort(copy, Comparator.comparing(f -> f.getPath().getName()));
    return copy;
  }
}
