package org.f2ba.solver;

/** Small dense-vector helpers for the driver's updates. */
public final class Vectors {
  private Vectors() {
  }

  public static double norm(double[] v) {
    double s = 0;
    for (double a : v) {
      s += a * a;
    }
    return Math.sqrt(s);
  }

  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** v ← v − step · d. */
  public static void descend(double[] v, double step, double[] d) {
    for (int i = 0; i < v.length; i++) {
      v[i] -= step * d[i];
    }
  }

  public static boolean allFinite(double[] v) {
    for (double a : v) {
      if (!Double.isFinite(a)) {
        return false;
      }
    }
    return true;
  }
}
