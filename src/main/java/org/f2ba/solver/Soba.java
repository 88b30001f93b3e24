package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import org.f2ba.engine.LossRequest;
import org.f2ba.solver.BilevelOracle.Batch;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * SOBA (Dagréou et al. 2022), single loop: state (x, y, v) with v ≈ −[∇²yy g]⁻¹ ∇y f. Each
 * outer iteration is one pass on one draw of batches, all at (x_t, y_t, v_t):
 * D_y = ∇y g, D_v = ∇²yy g v + ∇y f, D_x = ∇²xy g v + ∇x f; then y ← y − ρ_t D_y,
 * v ← v − ρ_t D_v, x ← x − γ_t D_x with ρ_t = s/√(t+1) and γ_t = ρ_t / r (constant steps
 * where decay is off).
 */
public final class Soba extends OuterLoop {
  public static final String NAME = "soba";
  private static final List<String> COLUMNS = List.of("inner_grad_norm", "step");

  /** Step s of y and v, ratio r (x's step is s/r), and whether steps decay as 1/√(t+1). */
  record Parameters(double step, double ratio, boolean decay) {
  }

  private final Parameters params;
  private final double[] v;

  Soba(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    oracle.requireSecondOrder(NAME);
    this.params = params;
    this.v = state.vector("v", new double[y.length]).clone();
  }

  /** SOBA from its keys, solver.soba.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("step"), keys.positive("ratio"),
        keys.bool("decay"));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new Soba(oracle, params, state));
  }

  @Override
  public OuterState next() {
    double[][] d = directions(oracle, oracle.drawBatch(), x, y, v);
    double rho = params.decay() ? params.step() / Math.sqrt(iteration + 1) : params.step();
    Vectors.descend(y, rho, d[0]);
    Vectors.descend(v, rho, d[1]);
    double[] before = stepX(rho / params.ratio(), d[2]);
    return report(Map.of("v", v), Map.of(), d[2], before, 1,
        Map.of("inner_grad_norm", Vectors.norm(d[0]), "step", rho));
  }

  /**
   * SOBA's directions D_y, D_v and D_x at (x, y, v) on {@code batch}, in one pass: ∇y g,
   * ∇²yy g v + ∇y f and ∇²xy g v + ∇x f.
   */
  static double[][] directions(BilevelOracle oracle, Batch batch, double[] x, double[] y,
      double[] v) {
    Derivatives[] d = oracle.evaluate(batch, x, new double[][] {y, v},
        LossRequest.lower(0).withGradY(),
        LossRequest.lower(0).along(1).withGradX().withGradY(),
        LossRequest.upper(0).withGradX().withGradY());
    double[] dv = d[1].gradY();
    double[] dx = d[1].gradX();
    for (int i = 0; i < dv.length; i++) {
      dv[i] += d[2].gradY()[i];
    }
    for (int i = 0; i < dx.length; i++) {
      dx[i] += d[2].gradX()[i];
    }
    return new double[][] {d[0].gradY(), dv, dx};
  }
}
