package org.f2ba.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
    Path path = new Path(file);
    try {
      if (!path.getFileSystem(new Configuration()).exists(path)) {
        throw new InputException(file + ": no such file");
      }
      try (InputStream in = DataFiles.open(path)) {
        return parse(file, in);
      }
    } catch (EOFException e) {
      throw new InputException(file + ": truncated (the file ends before the values its header"
          + " announces)");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  private static IdxArray parse(String file, InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
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
    if (total > Integer.MAX_VALUE - 8) {
      throw new InputException(file + ": " + total + " values are more than one array can hold");
    }
    double[] values = new double[(int) total];
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
    if (in.read() != -1) {
      throw new InputException(file + ": longer than its header announces (" + total
          + " values); the file is corrupt");
    }
    return new IdxArray(dims, values, type == 0x08);
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
