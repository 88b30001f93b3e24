package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import org.f2ba.engine.LossRequest;
import org.f2ba.solver.BilevelOracle.Batch;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * AID with conjugate gradient (approximate implicit differentiation): K steps
 * y ← y − α ∇y g(x, y) warm-started from the previous outer step, then v solving
 * ∇²yy g v = ∇y f(x, y) by CG (warm-started from the previous v, on one fixed batch, since
 * resampling breaks conjugacy; truncated where ∇²yy g has non-positive curvature, as on a
 * network), and x ← x − η (∇x f − ∇²xy g v). Per outer step: K gradients of g, one of f, up to
 * cg-steps Hessian-vector products and one mixed product.
 */
public final class AidCg extends OuterLoop {
  public static final String NAME = "aid-cg";
  private static final List<String> COLUMNS = List.of("inner_grad_norm", "cg_residual",
      "cg_steps", "cg_truncated");

  /**
   * η for x, α for y, K inner steps, at most cgSteps CG products per outer step, ending earlier
   * at a relative residual of cgTolerance.
   */
  record Parameters(double eta, double alpha, int innerSteps, int cgSteps,
      double cgTolerance) {
  }

  private final Parameters params;
  private final double[] v;

  AidCg(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    oracle.requireSecondOrder(NAME);
    this.params = params;
    this.v = state.vector("v", new double[y.length]).clone();
  }

  /** AID-CG from its keys, solver.aid-cg.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("eta"), keys.positive("alpha"),
        keys.intAtLeast("K", 0), keys.intAtLeast("cg-steps", 1),
        keys.nonNegative("cg-tolerance"));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new AidCg(oracle, params, state));
  }

  @Override
  public OuterState next() {
    double innerNorm = LowerLevelSteps.descend(oracle, x, y, params.innerSteps(),
        params.alpha(), 0).gradNorm();
    Batch batch = oracle.drawBatch();
    double[][] points = {y, v};
    Derivatives upper = oracle.evaluate(batch, x, points,
        LossRequest.upper(0).withGradX().withGradY())[0];
    ConjugateGradient.Outcome cg = ConjugateGradient.truncated(p -> oracle.evaluate(batch, x,
        new double[][] {y, p}, LossRequest.lower(0).along(1).withGradY())[0].gradY(),
        upper.gradY(), v, params.cgTolerance(), params.cgSteps());
    double[] mixed = oracle.evaluate(batch, x, new double[][] {y, v},
        LossRequest.lower(0).along(1).withGradX())[0].gradX();
    double[] estimate = upper.gradX(); // ∇x f − ∇²xy g v
    Vectors.descend(estimate, 1, mixed);
    double[] before = stepX(params.eta(), estimate);
    return report(Map.of("v", v), Map.of(), estimate, before, params.innerSteps(),
        Map.of("inner_grad_norm", innerNorm, "cg_residual", cg.residual(), "cg_steps",
            (double) cg.products(), "cg_truncated", cg.truncated() ? 1.0 : 0.0));
  }
}
