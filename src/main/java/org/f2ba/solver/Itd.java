package org.f2ba.solver;

import java.util.List;
import java.util.Map;
import org.f2ba.engine.LossRequest;
import org.f2ba.solver.BilevelOracle.Batch;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * ITD (iterative differentiation) by the backward recursion, without autodiff: K steps
 * y_{k+1} = y_k − α ∇y g(x, y_k; ζ_k) from the previous outer step's y, keeping y_0 … y_{K−1}
 * and their batches (memory K · dim y); then a = ∇y f(x, y_K), d = ∇x f(x, y_K) and, for
 * k = K−1 … 0 on (x, y_k, ζ_k), d ← d − α ∇²xy g a and a ← a − α ∇²yy g a (one pass for both
 * products); x ← x − η d. Per outer step: K gradients of g, one of f, K Hessian-vector and K
 * mixed products.
 */
public final class Itd extends OuterLoop {
  public static final String NAME = "itd";
  private static final List<String> COLUMNS = List.of("inner_grad_norm");

  /** η for x, α for y, K inner steps differentiated through. */
  record Parameters(double eta, double alpha, int innerSteps) {
  }

  private final Parameters params;

  Itd(BilevelOracle oracle, Parameters params, SolverState state) {
    super(oracle, state);
    oracle.requireSecondOrder(NAME);
    this.params = params;
  }

  /** ITD from its keys, solver.itd.*. */
  public static SolverType fromKeys(SolverKeys keys) {
    Parameters params = new Parameters(keys.positive("eta"), keys.positive("alpha"),
        keys.intAtLeast("K", 1));
    return SolverType.of(NAME, COLUMNS, (oracle, state) -> new Itd(oracle, params, state));
  }

  @Override
  public OuterState next() {
    int k = params.innerSteps();
    double alpha = params.alpha();
    double[][] iterates = new double[k][];
    Batch[] batches = new Batch[k];
    double innerNorm = Double.NaN;
    for (int step = 0; step < k; step++) { // forward
      iterates[step] = y.clone();
      batches[step] = oracle.drawBatch();
      double[] gradient = oracle.evaluate(batches[step], x, new double[][] {y},
          LossRequest.lower(0).withGradY())[0].gradY();
      innerNorm = Vectors.norm(gradient);
      Vectors.descend(y, alpha, gradient);
    }
    Derivatives upper = oracle.evaluate(x, new double[][] {y},
        LossRequest.upper(0).withGradX().withGradY())[0];
    double[] a = upper.gradY();
    double[] d = upper.gradX();
    for (int step = k - 1; step >= 0; step--) { // backward
      Derivatives products = oracle.evaluate(batches[step], x,
          new double[][] {iterates[step], a},
          LossRequest.lower(0).along(1).withGradX().withGradY())[0];
      Vectors.descend(d, alpha, products.gradX());
      Vectors.descend(a, alpha, products.gradY());
    }
    double[] before = stepX(params.eta(), d);
    return report(Map.of(), Map.of(), d, before, k, Map.of("inner_grad_norm", innerNorm));
  }
}
