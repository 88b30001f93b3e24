package org.f2ba;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes idx files, well-formed or not, for tests. */
public final class IdxFiles {
  private IdxFiles() {
  }

  /** An idx file of unsigned bytes with the given dimensions and values. */
  public static Path bytes(Path file, int[] dims, int[] values, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    header(out, 0x08, dims);
    for (int v : values) {
      out.writeByte(v);
    }
    return write(file, bytes.toByteArray(), gzip);
  }

  /** An idx file of big-endian floats. */
  public static Path floats(Path file, int[] dims, float[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    header(out, 0x0D, dims);
    for (float v : values) {
      out.writeFloat(v);
    }
    return write(file, bytes.toByteArray(), false);
  }

  public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
        : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  private static void header(DataOutputStream out, int type, int[] dims) throws IOException {
    out.writeByte(0);
    out.writeByte(0);
    out.writeByte(type);
    out.writeByte(dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
  }
}
