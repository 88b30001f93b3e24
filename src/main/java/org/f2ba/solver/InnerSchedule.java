package org.f2ba.solver;

/** How many inner steps K_t the next outer iteration takes. */
public interface InnerSchedule {
  /** K_t for the coming outer iteration. */
  int innerSteps();

  /** Told the step just taken on x, from {@code before} to {@code after}. */
  void observe(double[] before, double[] after);

  /** The schedule's error estimate δ_t, or NaN where it keeps none. */
  double delta();

  /** Continues from a checkpoint's δ_t (ignored where the schedule keeps none). */
  void restore(double delta);

  /** A fixed number of inner steps K (Algorithm 2). */
  static InnerSchedule fixed(int k) {
    return new InnerSchedule() {
      @Override
      public int innerSteps() {
        return k;
      }

      @Override
      public void observe(double[] before, double[] after) {
      }

      @Override
      public double delta() {
        return Double.NaN;
      }

      @Override
      public void restore(double delta) {
      }
    };
  }
}
