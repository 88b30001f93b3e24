package org.f2ba.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.f2ba.data.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints in a directory of any Hadoop-supported file system. Each is written to a temporary
 * name and renamed when complete, and ends with a CRC32 of its content, so that reading skips a
 * half-written one for the newest complete one. Doubles are stored bit for bit. The store
 * writes and deletes only its own files, and refuses a directory holding anything else.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final long MAGIC = 0x46324241434B5054L; // "F2BACKPT"
  private static final int VERSION = 2;
  private static final String SUFFIX = ".ckpt";

  private static final Pattern CHECKPOINT = Pattern.compile("ckpt-\\d{8}\\" + SUFFIX);
  private static final Pattern PARTIAL = Pattern.compile("\\.ckpt-\\d{8}\\.partial");

  private final Path dir;
  private final FileSystem fs;
  /** The checkpoints of an earlier run, removed once this run's first one is complete. */
  private List<Path> earlierRun;

  /**
   * A store in {@code directory}, which must be absent, empty or hold only this program's
   * checkpoints: anything else is refused with a message naming checkpoint.dir, since the store
   * deletes what it replaces. With {@code continuing} false (a run that starts afresh), the
   * checkpoints found there are an earlier run's, and the first checkpoint written replaces them.
   */
  public CheckpointStore(String directory, boolean continuing) {
    this.dir = new Path(directory);
    try {
      this.fs = dir.getFileSystem(new Configuration());
      List<Path> found = ownCheckpoints(directory);
      this.earlierRun = continuing ? List.of() : found;
    } catch (IOException e) {
      throw new InputException("checkpoint.dir '" + directory + "': " + e.getMessage(), e);
    }
  }

  /**
   * The checkpoints in the directory; fails where it holds anything else than checkpoints (files
   * that start with this program's magic number), the partial files they are written under, and
   * the checksum files Hadoop's local file system keeps beside them.
   */
  private List<Path> ownCheckpoints(String directory) throws IOException {
    if (!fs.exists(dir)) {
      return List.of();
    }
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new InputException("checkpoint.dir '" + directory + "' is a file: choose another"
          + " checkpoint.dir");
    }
    List<Path> checkpoints = new ArrayList<>();
    for (FileStatus file : fs.listStatus(dir)) {
      String name = file.getPath().getName();
      boolean checksum = name.startsWith(".") && name.endsWith(".crc");
      String of = checksum ? name.substring(1, name.length() - 4) : name;
      boolean checkpoint = CHECKPOINT.matcher(of).matches();
      boolean ours = file.isFile() && (PARTIAL.matcher(of).matches()
          || checkpoint && (checksum || startsWithMagic(file)));
      if (!ours) {
        throw new InputException("checkpoint.dir '" + directory + "' holds "
            + (file.isDirectory() ? "the directory " : "") + name + ", which is not a"
            + " checkpoint of this program; it deletes nothing it did not write: choose another"
            + " checkpoint.dir, or move that away");
      }
      if (checkpoint && !checksum) {
        checkpoints.add(file.getPath());
      }
    }
    return checkpoints;
  }

  private boolean startsWithMagic(FileStatus file) throws IOException {
    try (DataInputStream in = new DataInputStream(fs.open(file.getPath()))) {
      return file.getLen() >= 8 && in.readLong() == MAGIC;
    }
  }

  /** Writes {@code c} as checkpoint number c.iteration(), atomically. */
  public void write(Checkpoint c) {
    byte[] body = encode(c);
    Path done = new Path(dir, String.format("ckpt-%08d%s", c.iteration(), SUFFIX));
    Path partial = new Path(dir, String.format(".ckpt-%08d.partial", c.iteration()));
    try {
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(partial, true)) {
        out.write(body);
      }
      fs.delete(done, false);
      if (!fs.rename(partial, done)) {
        throw new IOException("cannot rename " + partial + " to " + done);
      }
      for (Path earlier : earlierRun) {
        if (!earlier.getName().equals(done.getName())) {
          fs.delete(earlier, false);
        }
      }
      earlierRun = List.of();
    } catch (IOException e) {
      throw new InputException("checkpoint.dir '" + dir + "': cannot write a checkpoint ("
          + e.getMessage() + ")", e);
    }
  }

  /** The directory, as given. */
  public String directory() {
    return dir.toString();
  }

  /** The newest complete checkpoint, or null where there is none. */
  public Checkpoint newest() {
    try {
      if (!fs.exists(dir)) {
        return null;
      }
      FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(SUFFIX));
      Arrays.sort(files, Comparator.comparing((FileStatus f) -> f.getPath().getName())
          .reversed());
      for (FileStatus file : files) {
        try (InputStream in = fs.open(file.getPath())) {
          return decode(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
          LOG.warn("skipping checkpoint {}: {}", file.getPath(), e.getMessage());
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(Checkpoint c) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(c.problem());
      out.writeUTF(c.sampling());
      out.writeInt(c.iteration());
      out.writeLong(c.draws());
      out.writeLong(c.oracleCalls());
      out.writeDouble(c.delta());
      out.writeDouble(c.wallSeconds());
      for (double[] v : List.of(c.x(), c.y(), c.z())) {
        out.writeInt(v.length);
        for (double d : v) {
          out.writeDouble(d);
        }
      }
      out.writeInt(c.metricRows().size());
      for (List<String> row : c.metricRows()) {
        out.writeInt(row.size());
        for (String cell : row) {
          out.writeUTF(cell);
        }
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Checkpoint decode(byte[] bytes) throws IOException {
    if (bytes.length < 20) {
      throw new IOException("too short to be a checkpoint");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readLong() != MAGIC || in.readInt() != VERSION) {
      throw new IOException("not a checkpoint of this program's version");
    }
    long stored = new DataInputStream(new ByteArrayInputStream(bytes, bytes.length - 8, 8))
        .readLong();
    if (stored != crc.getValue()) {
      throw new IOException("checksum mismatch (incomplete or corrupt)");
    }
    String problem = in.readUTF();
    String sampling = in.readUTF();
    int iteration = in.readInt();
    long draws = in.readLong();
    long calls = in.readLong();
    double delta = in.readDouble();
    double wall = in.readDouble();
    double[][] vectors = new double[3][];
    for (int k = 0; k < 3; k++) {
      vectors[k] = new double[in.readInt()];
      for (int i = 0; i < vectors[k].length; i++) {
        vectors[k][i] = in.readDouble();
      }
    }
    int rows = in.readInt();
    List<List<String>> metricRows = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      int cells = in.readInt();
      List<String> row = new ArrayList<>(cells);
      for (int c = 0; c < cells; c++) {
        row.add(in.readUTF());
      }
      metricRows.add(row);
    }
    return new Checkpoint(problem, sampling, iteration, draws, calls, delta, wall, vectors[0],
        vectors[1], vectors[2], metricRows);
  }
}
