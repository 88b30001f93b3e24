package org.f2ba.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which native BLAS {@link Blas.Choice#AUTO} takes: optimized, and one thread a call. */
class BlasTest {
  private static final String PTHREAD = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3";

  @Test
  void aMultithreadedOpenBlasIsRefusedUnlessItsThreadsAreOne() {
    Blas.NativeLibrary free = Blas.classify(PTHREAD, Map.of(), 2);
    assertEquals("OpenBLAS", free.vendor());
    assertEquals(2, free.threads());
    assertTrue(free.refusal().contains("set OPENBLAS_NUM_THREADS=1"), free.refusal());
    assertNull(Blas.classify(PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "1"), 2).refusal());
    assertEquals(4, Blas.classify(PTHREAD, Map.of("OMP_NUM_THREADS", "4"), 2).threads());
    assertEquals(1, Blas.classify(PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "1",
        "OMP_NUM_THREADS", "4"), 2).threads());
  }

  @Test
  void serialBuildsRunOneThreadWhateverTheEnvironment() {
    Blas.NativeLibrary serial = Blas.classify(
        "/usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3", Map.of(), 8);
    assertEquals(1, serial.threads());
    assertNull(serial.refusal());
  }

  @Test
  void mklReadsItsOwnVariable() {
    String mkl = "/opt/intel/lib/libmkl_rt.so.2";
    assertEquals("MKL", Blas.classify(mkl, Map.of(), 2).vendor());
    assertTrue(Blas.classify(mkl, Map.of("OPENBLAS_NUM_THREADS", "1"), 2).refusal()
        .contains("MKL_NUM_THREADS=1"));
    assertNull(Blas.classify(mkl, Map.of("MKL_NUM_THREADS", "1"), 2).refusal());
  }

  @Test
  void theReferenceBlasIsRefusedAsSlowerThanJava() {
    Blas.NativeLibrary reference = Blas.classify(
        "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", Map.of(), 2);
    assertEquals("reference", reference.vendor());
    assertTrue(reference.refusal().contains("unoptimized"));
  }

  @Test
  void theDescriptionNamesTheBlasInUseAndItsThreads() {
    Blas.NativeLibrary usable = Blas.classify(PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "1"), 2);
    assertEquals("native OpenBLAS, 1 thread a call (" + PTHREAD + ")",
        Blas.describe(Blas.Choice.AUTO, usable));
    assertTrue(Blas.describe(Blas.Choice.JAVA, usable).startsWith("pure-Java BLAS"));
    Blas.NativeLibrary busy = Blas.classify(PTHREAD, Map.of(), 2);
    assertTrue(Blas.describe(Blas.Choice.AUTO, busy).contains("would run 2 threads"));
    assertTrue(Blas.describe(Blas.Choice.NATIVE, busy).startsWith("native OpenBLAS, 2 threads"));
  }

  @Test
  void thisJvmNeverRunsAMultithreadedBlasUnderAuto() {
    Blas.NativeLibrary loaded = Blas.nativeLibrary();
    String line = Blas.describe(Blas.Choice.AUTO, loaded);
    assertTrue(line.startsWith("pure-Java BLAS") || line.contains(", 1 thread a call"), line);
  }
}
