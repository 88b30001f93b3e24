package org.f2ba.solver;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.f2ba.engine.LossRequest;

/**
 * Grid search, the reference a practitioner would use: x (every coordinate the same value) takes
 * each of n evenly spaced values from a to b in turn; at each the lower level is solved by
 * gradient steps y ← y − α ∇y g(x, y) until ‖∇y g‖ ≤ tolerance (or a step budget), warm-started
 * from the previous point's solution, and f(x, y) is evaluated. Its state is the best point so
 * far (x, y) and the warm start; it ends after the last point. It has no hyper-gradient.
 */
public final class GridSearch extends OuterLoop {
  public static final String NAME = "grid";
  private static final List<String> COLUMNS = List.of("grid_x", "upper_value",
      "inner_grad_norm");

  /** n points from a to b; lower level to tolerance with step α, at most maxSteps steps. */
  record Parameters(double from, double to, int points, double alpha, double tolerance,
      int maxSteps) {
  }

  private final Parameters params;
  private double bestValue;
  private final double[] warm;

  GridSearch(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    this.params = params;
    this.bestValue = state.scalar("best_upper_value", Double.POSITIVE_INFINITY);
    this.warm = state.vector("warm", state.y()).clone();
  }

  /** The grid search from its keys, solver.grid.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.number("from"), keys.number("to"),
        keys.intAtLeast("points", 2), keys.positive("alpha"), keys.nonNegative("tolerance"),
        keys.intAtLeast("max-steps", 1));
    return SolverType.of(NAME, COLUMNS,
        (oracle, state) -> new GridSearch(oracle, params, state));
  }

  @Override
  public boolean hasNext() {
    return iteration < params.points();
  }

  @Override
  public OuterState next() {
    double value = params.from() + (params.to() - params.from()) * iteration
        / (params.points() - 1);
    double[] point = new double[x.length];
    Arrays.fill(point, value);
    LowerLevelSteps.Outcome solved = LowerLevelSteps.descend(oracle, point, warm,
        params.maxSteps(), params.alpha(), params.tolerance());
    double upper = oracle.evaluate(point, new double[][] {warm},
        LossRequest.upper(0))[0].value();
    if (upper < bestValue) { // x, y: the best point so far
      bestValue = upper;
      System.arraycopy(point, 0, x, 0, x.length);
      System.arraycopy(warm, 0, y, 0, y.length);
    }
    return report(Map.of("warm", warm), Map.of("best_upper_value", bestValue), null, point,
        solved.steps(), Map.of("grid_x", value, "upper_value", upper, "inner_grad_norm",
            solved.gradNorm()));
  }
}
