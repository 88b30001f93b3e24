package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import org.f2ba.engine.LossRequest;
import org.f2ba.solver.BilevelOracle.Batch;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * AID with a Neumann series (the stocBiO form): K steps y ← y − α ∇y g(x, y) warm-started,
 * then v = β Σ_{q=0..Q} (I − β ∇²yy g)^q ∇y f(x, y) ≈ [∇²yy g]⁻¹ ∇y f (β < 1/L_g), all on one
 * batch, and x ← x − η (∇x f − ∇²xy g v). Per outer step: K gradients of g, one of f, Q
 * Hessian-vector products and one mixed product.
 */
public final class AidNeumann extends OuterLoop {
  public static final String NAME = "aid-neumann";
  private static final List<String> COLUMNS = List.of("inner_grad_norm");

  /** η for x, α for y, K inner steps, Q + 1 terms of the series with step β. */
  record Parameters(double eta, double alpha, int innerSteps, int terms, double beta) {
  }

  private final Parameters params;

  AidNeumann(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    oracle.requireSecondOrder(NAME);
    this.params = params;
  }

  /** AID-Neumann from its keys, solver.aid-neumann.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("eta"), keys.positive("alpha"),
        keys.intAtLeast("K", 0), keys.intAtLeast("Q", 0), keys.positive("beta"));
    return SolverType.of(NAME, COLUMNS,
        (oracle, state) -> new AidNeumann(oracle, params, state));
  }

  @Override
  public OuterState next() {
    double innerNorm = LowerLevelSteps.descend(oracle, x, y, params.innerSteps(),
        params.alpha(), 0).gradNorm();
    Batch batch = oracle.drawBatch();
    Derivatives upper = oracle.evaluate(batch, x, new double[][] {y},
        LossRequest.upper(0).withGradX().withGradY())[0];
    double[] term = upper.gradY(); // (I − β H)^q ∇y f
    double[] v = term.clone();
    for (int q = 1; q <= params.terms(); q++) {
      double[] product = oracle.evaluate(batch, x, new double[][] {y, term},
          LossRequest.lower(0).along(1).withGradY())[0].gradY();
      Vectors.descend(term, params.beta(), product);
      for (int i = 0; i < v.length; i++) {
        v[i] += term[i];
      }
    }
    for (int i = 0; i < v.length; i++) {
      v[i] *= params.beta();
    }
    double[] mixed = oracle.evaluate(batch, x, new double[][] {y, v},
        LossRequest.lower(0).along(1).withGradX())[0].gradX();
    double[] estimate = upper.gradX(); // ∇x f − ∇²xy g v
    Vectors.descend(estimate, 1, mixed);
    double[] before = stepX(params.eta(), estimate);
    return report(Map.of(), Map.of(), estimate, before, params.innerSteps(),
        Map.of("inner_grad_norm", innerNorm));
  }
}
