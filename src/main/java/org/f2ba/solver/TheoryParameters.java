package org.f2ba.solver;

import org.f2ba.engine.BatchSizes;

/**
 * F²BA / F²BSA parameters as Theorems 4.1 and 4.2 set them from the constants of Assumptions
 * 4.1 and 4.2, with the hidden constants of "≍" and "O(·)" given explicitly (all 1 reproduces
 * the formulas as printed). With κ = ℓ/μ:
 * η = c_η / (ℓκ³); σ = c_σ min{R/κ, ε/(ℓκ³), L_g/L_f, ρ_g/ρ_f, σ̄}; τ = 1/(σL_f + L_g);
 * B = c_B L_g(σ²M_f² + M_g²)/(μσ²ε²), on the levels whose gradients are noisy;
 * K_t by Eq. 8 with δ_0 = c_δ0 R and the recursion of Eq. 9; T = c_T ℓκ³ε⁻².
 */
public final class TheoryParameters {
  /**
   * The problem's constants: Assumption 4.1 (ℓ, μ, L_f, L_g, C_f, ρ_f, ρ_g, σ̄), 4.2 (M_f, M_g),
   * R = dist²(y_0, Y*(x_0)) and the target ε. ℓ = 0 stands for its definition,
   * max{C_f, L_f, L_g, ρ_g}.
   */
  public record Constants(double ell, double mu, double lf, double lg, double cf, double rhoF,
      double rhoG, double mf, double mg, double r, double epsilon, double sigmaBar) {
  }

  /** The hidden constants: of η, σ, K_t, B, T, δ_0, the O(·) of Eq. 9, and of the budget. */
  public record Hidden(double eta, double sigma, double k, double batch, double outer,
      double delta0, double delta, double budget) {
  }

  private final Constants c;
  private final Hidden h;
  private final double ell;

  public TheoryParameters(Constants constants, Hidden hidden) {
    this.c = constants;
    this.h = hidden;
    this.ell = constants.ell() > 0 ? constants.ell()
        : Math.max(Math.max(constants.cf(), constants.lf()),
            Math.max(constants.lg(), constants.rhoG()));
  }

  /** ℓ: as given, or max{C_f, L_f, L_g, ρ_g}. */
  public double ell() {
    return ell;
  }

  public double kappa() {
    return ell / c.mu();
  }

  public double eta() {
    return h.eta() / (ell * Math.pow(kappa(), 3));
  }

  public double sigma() {
    double k = kappa();
    double bound = Math.min(Math.min(c.r() / k, c.epsilon() / (ell * k * k * k)),
        Math.min(Math.min(c.lg() / c.lf(), c.rhoG() / c.rhoF()), c.sigmaBar()));
    return h.sigma() * bound;
  }

  public double tau() {
    return 1 / (sigma() * c.lf() + c.lg());
  }

  /** B of Eq. 8 on each level whose gradients are noisy (M > 0); the other level is full. */
  public BatchSizes batchSizes() {
    double s = sigma();
    double b = h.batch() * c.lg() * (s * s * c.mf() * c.mf() + c.mg() * c.mg())
        / (c.mu() * s * s * c.epsilon() * c.epsilon());
    int size = (int) Math.min(Integer.MAX_VALUE, Math.ceil(b));
    return new BatchSizes(c.mf() > 0 ? size : 0, c.mg() > 0 ? size : 0);
  }

  /** T = c_T ℓκ³ε⁻² outer iterations. */
  public int outerIterations() {
    double t = h.outer() * ell * Math.pow(kappa(), 3) / (c.epsilon() * c.epsilon());
    return (int) Math.min(Integer.MAX_VALUE, Math.ceil(t));
  }

  /** K_t by Eq. 8–9, starting from δ_0 = c_δ0 R. */
  public DeltaSchedule schedule() {
    return new DeltaSchedule(c.lg(), c.mu(), sigma(), c.epsilon(), h.delta0() * c.r(), h.k(),
        h.delta());
  }

  /**
   * The oracle budget the theorem predicts: c ℓκ⁴ε⁻² L (deterministic), c ℓκ⁵ε⁻⁴ L (noise in ∇f
   * only) or c ℓ³κ¹¹ε⁻⁶ L (otherwise), with L = log(ρ_f ℓκ/ε).
   */
  public double predictedOracleCalls() {
    double k = kappa();
    double eps = c.epsilon();
    double log = Math.log(c.rhoF() * ell * k / eps);
    double bound;
    if (c.mf() == 0 && c.mg() == 0) {
      bound = ell * Math.pow(k, 4) / (eps * eps);
    } else if (c.mg() == 0) {
      bound = ell * Math.pow(k, 5) / Math.pow(eps, 4);
    } else {
      bound = Math.pow(ell, 3) * Math.pow(k, 11) / Math.pow(eps, 6);
    }
    return h.budget() * bound * log;
  }
}
