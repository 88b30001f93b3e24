package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.f2ba.engine.LossRequest;

/**
 * IGFM, the inexact gradient-free method (Algorithm 2 of the companion paper): zeroth order in x,
 * for lower levels with many minimizers. Each outer iteration draws u uniformly on the unit
 * sphere of x's space (line 3), estimates φ̃(x ± δu) = f(x ± δu, y_out) with y_out from
 * {@link SwitchingGradient} at x ± δu (line 4), and steps x ← x − η ∇̂ with
 * ∇̂ = (d_x / 2δ)(φ̃(x + δu) − φ̃(x − δu)) u (lines 5–6). Both SGM runs start from the state's y,
 * which then becomes the mean of their outputs. x is the last iterate, not one drawn at random
 * (line 8). The estimate's variance grows with d_x: IGFM suits a few hyperparameters, not one
 * per sample. u of iteration t is drawn from the oracle's seed and t alone, so a run resumed
 * from a checkpoint draws what the uninterrupted run drew.
 */
public final class Igfm extends OuterLoop {
  public static final String NAME = "igfm";
  private static final List<String> COLUMNS = List.of("phi_plus", "phi_minus", "upper_steps",
      "lower_estimate");

  /** Step η of x, smoothing radius δ, and SGM's parameters. */
  record Parameters(double eta, double delta, SwitchingGradient.Parameters sgm) {
  }

  private final Parameters params;

  Igfm(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    this.params = params;
  }

  /** IGFM from its keys, solver.igfm.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("eta"), keys.positive("delta"),
        new SwitchingGradient.Parameters(keys.intAtLeast("K0", 0), keys.intAtLeast("K", 1),
            keys.positive("tau"), keys.nonNegative("theta")));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new Igfm(oracle, params, state));
  }

  @Override
  public OuterState next() {
    double[] u = direction(x.length, new SplittableRandom(oracle.seed() * 31 + iteration));
    double[] plus = x.clone();
    double[] minus = x.clone();
    Vectors.descend(plus, -params.delta(), u);
    Vectors.descend(minus, params.delta(), u);
    SwitchingGradient.Outcome atPlus = SwitchingGradient.run(oracle, plus, y, params.sgm());
    SwitchingGradient.Outcome atMinus = SwitchingGradient.run(oracle, minus, y, params.sgm());
    double phiPlus = upperValue(plus, atPlus.y());
    double phiMinus = upperValue(minus, atMinus.y());
    double[] estimate = u.clone();
    double scale = x.length / (2 * params.delta()) * (phiPlus - phiMinus);
    for (int i = 0; i < estimate.length; i++) {
      estimate[i] *= scale;
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = 0.5 * (atPlus.y()[i] + atMinus.y()[i]);
    }
    double[] before = stepX(params.eta(), estimate);
    int innerSteps = 2 * (params.sgm().warmupSteps() + params.sgm().steps());
    return report(Map.of(), Map.of(), estimate, before, innerSteps, Map.of(
        "phi_plus", phiPlus, "phi_minus", phiMinus,
        "upper_steps", (double) (atPlus.upperSteps() + atMinus.upperSteps()),
        "lower_estimate", 0.5 * (atPlus.lowerEstimate() + atMinus.lowerEstimate())));
  }

  /** φ̃ = f(x, y) on a new draw of batches. */
  private double upperValue(double[] at, double[] yOut) {
    return oracle.evaluate(at, new double[][] {yOut}, LossRequest.upper(0))[0].value();
  }

  /** A direction drawn uniformly on the unit sphere: a normalized Gaussian vector. */
  static double[] direction(int dim, SplittableRandom random) {
    double[] u = new double[dim];
    double norm = 0;
    while (norm == 0) {
      for (int i = 0; i < dim; i++) {
        u[i] = random.nextGaussian();
      }
      norm = Vectors.norm(u);
    }
    for (int i = 0; i < dim; i++) {
      u[i] /= norm;
    }
    return u;
  }
}
