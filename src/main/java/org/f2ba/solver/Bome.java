package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.f2ba.engine.LossRequest;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * BOME (Liu et al. 2022), value-function based and first order: ŷ = K gradient steps on
 * g(x, ·) from y; q = g(x, y) − g(x, ŷ) with ∇q = (∇x g(x, y) − ∇x g(x, ŷ), ∇y g(x, y));
 * φ = η‖∇q‖² (or η q); λ = max(φ − ⟨∇f, ∇q⟩, 0) / (‖∇q‖² + ε) with ε = 10⁻⁸ as published;
 * then y ← y − α (∇y f + λ ∇y q) and x ← x − (α/r)(∇x f + λ ∇x q). Per outer step: K gradients
 * of g for ŷ, then one pass for g, ∇g at y and ŷ and ∇f at y. The direction keeps a
 * component η‖∇q‖ along ∇q, so BOME settles where y is still off y*(x), short of a stationary
 * point of φ.
 */
public final class Bome extends OuterLoop {
  public static final String NAME = "bome";
  private static final List<String> COLUMNS = List.of("inner_grad_norm", "lambda",
      "value_gap");

  /**
   * Step α of y (α/r of x), K steps of step β for ŷ, η of φ, φ = η‖∇q‖² where gradNormControl
   * (else η q), and ε of λ's denominator.
   */
  record Parameters(double alpha, double ratio, int innerSteps, double beta, double eta,
      boolean gradNormControl, double epsilon) {
  }

  private final Parameters params;
  private final BilevelProblem.Box domain;

  Bome(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    this.params = params;
    this.domain = oracle.problem().yDomain();
  }

  /** BOME from its keys, solver.bome.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("alpha"), keys.positive("ratio"),
        keys.intAtLeast("K", 1), keys.positive("beta"), keys.positive("eta"),
        keys.choice("phi", Set.of("grad-norm", "value")).equals("grad-norm"),
        keys.positive("epsilon"));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new Bome(oracle, params, state));
  }

  @Override
  public OuterState next() {
    double[] yHat = y.clone();
    double innerNorm = LowerLevelSteps.descend(oracle, x, yHat, params.innerSteps(),
        params.beta(), 0).gradNorm();
    Derivatives[] d = oracle.evaluate(x, new double[][] {y, yHat},
        LossRequest.lower(0).withGradX().withGradY(), LossRequest.lower(1).withGradX(),
        LossRequest.upper(0).withGradX().withGradY());
    double gap = d[0].value() - d[1].value(); // q
    double[] qx = d[0].gradX();
    Vectors.descend(qx, 1, d[1].gradX());
    double[] qy = d[0].gradY();
    double[] fx = d[2].gradX();
    double[] fy = d[2].gradY();
    double qNorm2 = Vectors.dot(qx, qx) + Vectors.dot(qy, qy);
    double phi = params.eta() * (params.gradNormControl() ? qNorm2 : gap);
    double lambda = Math.max(phi - Vectors.dot(fx, qx) - Vectors.dot(fy, qy), 0)
        / (qNorm2 + params.epsilon());
    for (int i = 0; i < fy.length; i++) {
      fy[i] += lambda * qy[i];
    }
    for (int i = 0; i < fx.length; i++) {
      fx[i] += lambda * qx[i];
    }
    Vectors.descend(y, params.alpha(), fy);
    if (domain != null) {
      domain.project(y);
    }
    double[] before = stepX(params.alpha() / params.ratio(), fx);
    return report(Map.of(), Map.of(), fx, before, params.innerSteps(),
        Map.of("inner_grad_norm", innerNorm, "lambda", lambda, "value_gap", gap));
  }
}
