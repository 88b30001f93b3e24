package org.f2ba.data;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads files in the idx format of MNIST and Fashion-MNIST, raw or gzipped (recognized by their
 * first bytes, not their name), from any Hadoop-supported file system.
 *
 * <p>Format: two zero bytes, a type code (0x08 unsigned byte, 0x09 signed byte, 0x0B short,
 * 0x0C int, 0x0D float, 0x0E double), the number of dimensions, each dimension as a big-endian
 * int, then the values in row-major order, big-endian.
 */
public final class IdxReader {
  /** An idx array: its dimensions, its values and whether they were unsigned bytes. */
  public record IdxArray(int[] dims, double[] values, boolean unsignedBytes) {
    public int count() {
      return dims[0];
    }

    public int valuesPerItem() {
      return Header.valuesPerItem(dims);
    }
  }

  /**
   * An idx file's header: its dimensions and the type code of its values, which follow it. An
   * item is what the first dimension counts (an image, a label).
   */
  public record Header(int[] dims, int type) implements Serializable {
    public int count() {
      return dims[0];
    }

    public int valuesPerItem() {
      return valuesPerItem(dims);
    }

    public boolean unsignedBytes() {
      return type == 0x08;
    }

    /** Where the values start: the magic number's 4 bytes and 4 a dimension. */
    long length() {
      return 4 + 4L * dims.length;
    }

    long bytesPerItem() {
      return (long) valuesPerItem() * bytesPerValue(type);
    }

    private static int valuesPerItem(int[] dims) {
      int n = 1;
      for (int k = 1; k < dims.length; k++) {
        n *= dims[k];
      }
      return n;
    }
  }

  private IdxReader() {
  }

  public static IdxArray read(String file) {
    return withFile(file, new Configuration(), in -> {
      Header header = header(file, in);
      long total = header.count() * (long) header.valuesPerItem();
      if (total > Integer.MAX_VALUE - 8) {
        throw new InputException(file + ": " + total + " values are more than one array can"
            + " hold; read it with engine = spark, whose executors read it in parts");
      }
      double[] values = new double[(int) total];
      readValues(in, header.type, values);
      if (in.read() != -1) {
        throw longer(file, values.length);
      }
      return new IdxArray(header.dims, values, header.unsignedBytes());
    });
  }

  /** The header of {@code file}, read alone. */
  public static Header header(String file, Configuration conf) {
    return withFile(file, conf, in -> header(file, in));
  }

  /**
   * The items of the idx file at {@code path} (named {@code file} in errors), whose header is
   * {@code header}, from item {@code from} on, one at a time: a raw file is read from the first
   * of them, a gzipped one from its start.
   */
  public static Items items(String file, String path, Header header, int from,
      Configuration conf) {
    DataInputStream in = open(path, conf);
    try {
      in.skipNBytes(header.length() + from * header.bytesPerItem());
      return new Items(file, header, in);
    } catch (IOException e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw failure(file, e);
    }
  }

  /** An open idx file's items, read one at a time; close it when done. */
  public static final class Items implements Closeable {
    private final String file;
    private final Header header;
    private final DataInputStream in;

    private Items(String file, Header header, DataInputStream in) {
      this.file = file;
      this.header = header;
      this.in = in;
    }

    /** The next item's values; a file that ends before them is refused as truncated. */
    public double[] next() {
      double[] values = new double[header.valuesPerItem()];
      try {
        readValues(in, header.type, values);
      } catch (IOException e) {
        throw failure(file, e);
      }
      return values;
    }

    /** Refuses a file that goes on after its last item. */
    public void checkEnd() {
      try {
        if (in.read() != -1) {
          throw longer(file, header.count() * (long) header.valuesPerItem());
        }
      } catch (IOException e) {
        throw failure(file, e);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** What is read from an idx file's stream. */
  private interface Reading<T> {
    T from(DataInputStream in) throws IOException;
  }

  private static <T> T withFile(String file, Configuration conf, Reading<T> reading) {
    try (DataInputStream in = open(file, conf)) {
      return reading.from(in);
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  private static DataInputStream open(String file, Configuration conf) {
    Path path = new Path(file);
    try {
      if (!path.getFileSystem(conf).exists(path)) {
        throw new InputException(file + ": no such file");
      }
      return new DataInputStream(DataFiles.open(path, conf));
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  private static InputException failure(String file, IOException e) {
    return e instanceof EOFException ? new InputException(file + ": truncated (the file ends"
        + " before the values its header announces)")
        : new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
  }

  private static InputException longer(String file, long values) {
    return new InputException(file + ": longer than its header announces (" + values
        + " values); the file is corrupt");
  }

  private static Header header(String file, DataInputStream in) throws IOException {
    int zero0 = in.read();
    int zero1 = in.read();
    int type = in.read();
    int rank = in.read();
    if (zero0 != 0 || zero1 != 0 || rank < 1 || rank > 4 || bytesPerValue(type) == 0) {
      throw new InputException(file + ": not an idx file (bad magic number: "
          + String.format("%02x %02x %02x %02x", zero0, zero1, type, rank) + ")");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int k = 0; k < rank; k++) {
      dims[k] = in.readInt();
      if (dims[k] < 0) {
        throw new InputException(file + ": negative dimension " + dims[k] + " in its header");
      }
      total *= dims[k];
    }
    if (total / Math.max(1, dims[0]) > Integer.MAX_VALUE - 8) {
      throw new InputException(file + ": items of " + total / dims[0] + " values are more than"
          + " one array can hold");
    }
    return new Header(dims, type);
  }

  private static void readValues(DataInputStream in, int type, double[] values)
      throws IOException {
    switch (type) {
      case 0x08 -> readUnsignedBytes(in, values);
      case 0x09 -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readByte();
        }
      }
      case 0x0B -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readShort();
        }
      }
      case 0x0C -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readInt();
        }
      }
      case 0x0D -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readFloat();
        }
      }
      default -> {
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readDouble();
        }
      }
    }
  }

  private static void readUnsignedBytes(DataInputStream in, double[] values) throws IOException {
    byte[] buffer = new byte[1 << 16];
    int done = 0;
    while (done < values.length) {
      int n = Math.min(buffer.length, values.length - done);
      in.readFully(buffer, 0, n);
      for (int i = 0; i < n; i++) {
        values[done + i] = buffer[i] & 0xff;
      }
      done += n;
    }
  }

  private static int bytesPerValue(int type) {
    return switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> 0;
    };
  }
}
