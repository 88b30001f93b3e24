package org.f2ba.problem;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BLAS this JVM's matrix products run on. netlib (the BLAS of Spark ML) loads the system's
 * {@code libblas.so.3} where there is one; an optimized native library (OpenBLAS, MKL, BLIS) does
 * the single-precision products of a loss 2.5 to 3.5 times as fast as netlib's pure-Java BLAS
 * (measured on 2 cores, docs/benchmarks). But a multithreaded one starts threads of its own in
 * every Spark task, which oversubscribes the cores and makes results depend on the thread count.
 * So {@link Choice#AUTO} takes the native library only where it is an optimized one running one
 * thread a call ({@code OPENBLAS_NUM_THREADS=1}, which the launch scripts and the executors'
 * environment set), and the pure-Java BLAS otherwise.
 */
public final class Blas {
  /** Which BLAS the products use: {@code arithmetic.blas}. */
  public enum Choice {
    /** An optimized native BLAS running one thread a call where there is one, else Java. */
    AUTO,
    /** The native BLAS netlib loads, whatever it is and however many threads it runs. */
    NATIVE,
    /** netlib's pure-Java BLAS (vectorized with the incubating Vector API). */
    JAVA
  }

  /**
   * The native library netlib loaded in this JVM: its file, its vendor ("OpenBLAS", "MKL",
   * "BLIS", "ATLAS", or "reference" for the unoptimized netlib reference), the threads one call
   * runs, and why AUTO would not take it (null where it would); {@code file} is null where none
   * could be loaded, and {@code refusal} then says so.
   */
  public record NativeLibrary(String file, String vendor, int threads, String refusal)
      implements Serializable {
  }

  private static final List<String> VENDORS = List.of("openblas", "mkl", "blis", "atlas");
  private static final NativeLibrary LOADED = probe(System.getenv());

  private Blas() {
  }

  /** The native BLAS of this JVM, as {@link #probe} found it. */
  public static NativeLibrary nativeLibrary() {
    return LOADED;
  }

  /** The BLAS that {@code choice} gives in this JVM. */
  static BLAS instance(Choice choice) {
    if (choice == Choice.JAVA || (choice == Choice.AUTO && LOADED.refusal() != null)) {
      return JavaBLAS.getInstance();
    }
    if (LOADED.file() == null) {
      throw new IllegalStateException("arithmetic.blas = native, but " + LOADED.refusal());
    }
    return NativeBLAS.getInstance();
  }

  /** One line: the BLAS {@code choice} gives in a JVM whose native library is {@code lib}. */
  public static String describe(Choice choice, NativeLibrary lib) {
    boolean useNative = choice == Choice.NATIVE
        || (choice == Choice.AUTO && lib.refusal() == null);
    if (useNative && lib.file() != null) {
      return "native " + lib.vendor() + ", " + lib.threads() + " thread"
          + (lib.threads() == 1 ? "" : "s") + " a call (" + lib.file() + ")";
    }
    String java = "pure-Java BLAS (" + JavaBLAS.getInstance().getClass().getSimpleName() + ")";
    if (choice == Choice.JAVA) {
      return java + ", as arithmetic.blas = java asks";
    }
    return java + ": " + lib.refusal();
  }

  /**
   * Finds the native library netlib loads, from the libraries mapped into this process, and
   * the threads it runs per call from {@code env}, as OpenBLAS and MKL read them.
   */
  static NativeLibrary probe(Map<String, String> env) {
    try {
      NativeBLAS.getInstance();
    } catch (RuntimeException | LinkageError e) {
      return new NativeLibrary(null, null, 0, "no native BLAS (libblas.so.3) could be loaded;"
          + " for products about 3 times as fast, install an optimized one (Debian, Ubuntu:"
          + " apt-get install libopenblas0-pthread)");
    }
    return classify(mappedBlas(), env, Runtime.getRuntime().availableProcessors());
  }

  /** What AUTO makes of the native library at {@code file} under {@code env}. */
  static NativeLibrary classify(String file, Map<String, String> env, int cores) {
    String path = file == null ? "" : file.toLowerCase(Locale.ROOT);
    String vendor = "reference";
    for (String v : VENDORS) {
      if (path.contains(v)) {
        vendor = switch (v) {
          case "openblas" -> "OpenBLAS";
          case "mkl" -> "MKL";
          case "blis" -> "BLIS";
          default -> "ATLAS";
        };
        break;
      }
    }
    String shown = file == null ? "libblas.so.3" : file;
    boolean serial = vendor.equals("reference") || vendor.equals("ATLAS")
        || path.contains("serial");
    String variable = vendor.equals("MKL") ? "MKL_NUM_THREADS" : "OPENBLAS_NUM_THREADS";
    int threads = serial ? 1 : threads(env, variable, cores);
    String refusal = null;
    if (vendor.equals("reference")) {
      refusal = "the native BLAS at " + shown + " is the unoptimized reference BLAS, slower"
          + " than Java's; install an optimized one (apt-get install libopenblas0-pthread)";
    } else if (threads != 1) {
      refusal = "the native " + vendor + " at " + shown + " would run " + threads
          + " threads in every task; set " + variable + "=1 (the launch scripts do) to use it";
    }
    return new NativeLibrary(shown, vendor, threads, refusal);
  }

  /** The threads a call runs: the first of the variables the library reads, else all cores. */
  private static int threads(Map<String, String> env, String variable, int cores) {
    for (String name : List.of(variable, "GOTO_NUM_THREADS", "OMP_NUM_THREADS")) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        try {
          return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
          return cores;
        }
      }
    }
    return cores;
  }

  /** The BLAS library mapped into this process (Linux), or null where none can be told. */
  private static String mappedBlas() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
        int slash = line.indexOf('/');
        if (slash < 0) {
          continue;
        }
        String file = line.substring(slash);
        String name = Path.of(file).getFileName().toString();
        if (name.startsWith("libblas.so") || name.startsWith("libopenblas")
            || name.startsWith("libmkl_rt") || name.startsWith("libblis")) {
          return file;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
