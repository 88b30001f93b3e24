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
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.f2ba.data.InputException;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.SolverState;
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
  private static final int VERSION = 3;
  /** Version 2 held F²BA's state alone: x, y, z and δ_t. */
  private static final int F2BA_ONLY = 2;
  /** Where second_order_calls, after oracle_calls, is in the metric rows of F²BA. */
  private static final int SECOND_ORDER_COLUMN = 8;
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

  /**
   * Deletes the checkpoints here, with their partial and checksum files, and then the
   * directory; refused, deleting nothing, where it holds anything this program did not write.
   */
  public void deleteAll() {
    try {
      ownCheckpoints(dir.toString()); // refuses a directory with anything else in it
      if (fs.exists(dir)) {
        for (FileStatus file : fs.listStatus(dir)) {
          fs.delete(file.getPath(), false);
        }
        fs.delete(dir, false);
      }
      earlierRun = List.of();
    } catch (IOException e) {
      throw new InputException("checkpoint.dir '" + dir + "': cannot delete the checkpoints ("
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
      out.writeUTF(c.solver());
      SolverState state = c.state();
      out.writeInt(state.iteration());
      out.writeLong(c.draws());
      out.writeLong(c.oracleCalls());
      out.writeLong(c.secondOrderCalls());
      out.writeDouble(c.wallSeconds());
      writeVector(out, state.gatherX());
      writeVector(out, state.y());
      out.writeInt(state.vectors().size());
      for (Map.Entry<String, double[]> v : state.vectors().entrySet()) {
        out.writeUTF(v.getKey());
        writeVector(out, v.getValue());
      }
      out.writeInt(state.scalars().size());
      for (Map.Entry<String, Double> v : state.scalars().entrySet()) {
        out.writeUTF(v.getKey());
        out.writeDouble(v.getValue());
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
    int version = in.readLong() == MAGIC ? in.readInt() : -1;
    if (version != VERSION && version != F2BA_ONLY) {
      throw new IOException("not a checkpoint of this program's version");
    }
    long stored = new DataInputStream(new ByteArrayInputStream(bytes, bytes.length - 8, 8))
        .readLong();
    if (stored != crc.getValue()) {
      throw new IOException("checksum mismatch (incomplete or corrupt)");
    }
    String problem = in.readUTF();
    String sampling = in.readUTF();
    if (version == F2BA_ONLY) {
      return decodeF2baOnly(in, problem, sampling);
    }
    String solver = in.readUTF();
    int iteration = in.readInt();
    long draws = in.readLong();
    long calls = in.readLong();
    long secondOrderCalls = in.readLong();
    double wall = in.readDouble();
    double[] x = readVector(in);
    double[] y = readVector(in);
    Map<String, double[]> vectors = new TreeMap<>();
    for (int n = in.readInt(); n > 0; n--) {
      vectors.put(in.readUTF(), readVector(in));
    }
    Map<String, Double> scalars = new TreeMap<>();
    for (int n = in.readInt(); n > 0; n--) {
      scalars.put(in.readUTF(), in.readDouble());
    }
    return new Checkpoint(problem, sampling, solver,
        new SolverState(iteration, x, y, vectors, scalars), draws, calls, secondOrderCalls,
        wall, readRows(in));
  }

  /** A version 2 checkpoint: F²BA's x, y, z and δ_t (NaN where the schedule kept none). */
  private static Checkpoint decodeF2baOnly(DataInputStream in, String problem, String sampling)
      throws IOException {
    int iteration = in.readInt();
    long draws = in.readLong();
    long calls = in.readLong();
    double delta = in.readDouble();
    double wall = in.readDouble();
    double[] x = readVector(in);
    double[] y = readVector(in);
    double[] z = readVector(in);
    SolverState state = new SolverState(iteration, x, y, Map.of("z", z),
        Double.isNaN(delta) ? Map.of() : Map.of("delta", delta));
    List<List<String>> rows = readRows(in);
    for (List<String> row : rows) {
      row.add(SECOND_ORDER_COLUMN, "0"); // metrics.csv has had the column since version 3
    }
    return new Checkpoint(problem, sampling, F2ba.NAME, state, draws, calls, 0, wall, rows);
  }

  private static void writeVector(DataOutputStream out, double[] v) throws IOException {
    out.writeInt(v.length);
    for (double d : v) {
      out.writeDouble(d);
    }
  }

  private static double[] readVector(DataInputStream in) throws IOException {
    double[] v = new double[in.readInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.readDouble();
    }
    return v;
  }

  private static List<List<String>> readRows(DataInputStream in) throws IOException {
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
    return metricRows;
  }
}
