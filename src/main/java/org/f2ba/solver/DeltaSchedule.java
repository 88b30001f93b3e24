package org.f2ba.solver;

/**
 * K_t from the error recursion of Theorem 4.2:
 * K_t = ⌈c_K (L_g/μ) log(L_g³ δ_t / (μ σ² ε²))⌉ (Eq. 8, at least 1) and
 * δ_{t+1} = δ_t/2 + 8 L_g²/μ² ‖x_{t+1} − x_t‖² + c_δ σ² ε² / L_g² (Eq. 9), δ_0 ≍ R.
 * c_K and c_δ are the hidden constants of "≍" and "O(·)".
 */
public final class DeltaSchedule implements InnerSchedule {
  private final double lg;
  private final double mu;
  private final double sigma;
  private final double epsilon;
  private final double cK;
  private final double cDelta;
  private double delta;

  public DeltaSchedule(double lg, double mu, double sigma, double epsilon, double delta0,
      double cK, double cDelta) {
    this.lg = lg;
    this.mu = mu;
    this.sigma = sigma;
    this.epsilon = epsilon;
    this.cK = cK;
    this.cDelta = cDelta;
    this.delta = delta0;
  }

  @Override
  public int innerSteps() {
    double log = Math.log(lg * lg * lg * delta / (mu * sigma * sigma * epsilon * epsilon));
    return (int) Math.max(1, Math.ceil(cK * lg / mu * log));
  }

  @Override
  public void observe(double[] before, double[] after) {
    double step = 0;
    for (int i = 0; i < before.length; i++) {
      double d = after[i] - before[i];
      step += d * d;
    }
    delta = delta / 2 + 8 * lg * lg / (mu * mu) * step
        + cDelta * sigma * sigma * epsilon * epsilon / (lg * lg);
  }

  @Override
  public double delta() {
    return delta;
  }

  @Override
  public void restore(double checkpointDelta) {
    this.delta = checkpointDelta;
  }
}
