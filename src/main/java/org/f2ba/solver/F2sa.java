package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * F2SA (Kwon et al. 2023), fully first order with a growing penalty λ (F²BA's 1/σ): per outer
 * step t, K inner steps on new batches, y ← y − α_t (λ ∇y g(x, y) + ∇y f(x, y)) and
 * z ← z − β_t ∇y g(x, z) (both warm-started, never reset), then
 * x ← x − γ_t [∇x f(x, y) + λ (∇x g(x, y) − ∇x g(x, z))] and λ ← min(λ + δ_t, λ_max), with
 * α_t = α/(t+1)^{5/7}, β_t = β/(t+1)^{4/7}, γ_t = γ/(t+1)^{4/7}, δ_t = δ/(t+1)^{1/7} (constant
 * steps where decay is off). λ is capped: α_t λ_t grows, and past 2/L_g the y-steps diverge.
 * The same passes as F²BA: one per inner step, one for the estimate.
 */
public final class F2sa extends OuterLoop {
  public static final String NAME = "f2sa";
  private static final List<String> COLUMNS = List.of("inner_grad_norm_z", "inner_grad_norm_y",
      "lambda");

  /** Bases of the steps and of λ's growth, λ_0 and its cap, K inner steps, decay on or off. */
  record Parameters(double alpha, double beta, double gamma, double lambdaStep, double lambda0,
      double lambdaMax, int innerSteps, boolean decay) {
  }

  private final Parameters params;
  private final BilevelProblem.Box domain;
  private final double[] z;
  private double lambda;

  F2sa(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    this.params = params;
    this.domain = oracle.problem().yDomain();
    this.z = state.vector("z", state.y()).clone();
    this.lambda = state.scalar("lambda", params.lambda0());
  }

  /** F2SA from its keys, solver.f2sa.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    double lambda0 = keys.positive("lambda0");
    double lambdaMax = keys.positive("lambda-max");
    if (lambdaMax < lambda0) {
      throw keys.invalid("lambda-max", lambdaMax + " is below lambda0 = " + lambda0);
    }
    Parameters params = new Parameters(keys.positive("alpha"), keys.positive("beta"),
        keys.positive("gamma"), keys.nonNegative("lambda-step"), lambda0, lambdaMax,
        keys.intAtLeast("K", 1), keys.bool("decay"));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new F2sa(oracle, params, state));
  }

  @Override
  public OuterState next() {
    double t = iteration + 1;
    boolean decay = params.decay();
    double alpha = decay ? params.alpha() / Math.pow(t, 5.0 / 7) : params.alpha();
    double beta = decay ? params.beta() / Math.pow(t, 4.0 / 7) : params.beta();
    double gamma = decay ? params.gamma() / Math.pow(t, 4.0 / 7) : params.gamma();
    double delta = decay ? params.lambdaStep() / Math.pow(t, 1.0 / 7) : params.lambdaStep();
    double normZ = Double.NaN;
    double normY = Double.NaN;
    for (int k = 0; k < params.innerSteps(); k++) {
      Derivatives[] g = F2ba.innerGradients(oracle, x, y, z);
      double[] stepY = g[2].gradY(); // λ ∇y g(x, y) + ∇y f(x, y)
      for (int i = 0; i < stepY.length; i++) {
        stepY[i] = lambda * stepY[i] + g[1].gradY()[i];
      }
      normZ = Vectors.norm(g[0].gradY());
      normY = Vectors.norm(stepY);
      Vectors.descend(z, beta, g[0].gradY());
      Vectors.descend(y, alpha, stepY);
      if (domain != null) {
        domain.project(z);
        domain.project(y);
      }
    }
    Derivatives[] h = F2ba.outerGradients(oracle, x, y, z);
    double[] estimate = h[0].gradX(); // ∇x f + λ (∇x g(x, y) − ∇x g(x, z))
    for (int i = 0; i < estimate.length; i++) {
      estimate[i] += lambda * (h[1].gradX()[i] - h[2].gradX()[i]);
    }
    double[] before = stepX(gamma, estimate);
    lambda = Math.min(lambda + delta, params.lambdaMax());
    return report(Map.of("z", z), Map.of("lambda", lambda), estimate, before,
        params.innerSteps(), Map.of("inner_grad_norm_z", normZ, "inner_grad_norm_y", normY,
            "lambda", lambda));
  }
}
