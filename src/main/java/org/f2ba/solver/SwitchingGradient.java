package org.f2ba.solver;

import org.f2ba.engine.LossRequest;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.solver.BilevelOracle.Batch;
import org.f2ba.solver.BilevelOracle.Derivatives;

/**
 * SGM, the switching gradient method (Algorithm 1 of the companion paper): finds, for a fixed x,
 * a y that nearly minimizes g and, among such points, f, where g has many minimizers. K₀
 * projected steps on g give the estimate ĝ* of min g (lines 2–5); then K steps from y₀ each step
 * on f where g(x, y) − ĝ* ≤ 2θ, else on g (lines 6–12); the output is the mean of the iterates
 * that stepped on f (line 13), or the last iterate where none did. Each step is one pass, its
 * value of g and both gradients on one draw of batches; the first switching step also takes
 * ĝ* in its pass.
 */
final class SwitchingGradient {
  /** K₀ steps for ĝ*, K switching steps, step τ and threshold θ. */
  record Parameters(int warmupSteps, int steps, double tau, double theta) {
  }

  /** The output y, the switching steps that stepped on f, and ĝ*. */
  record Outcome(double[] y, int upperSteps, double lowerEstimate) {
  }

  private SwitchingGradient() {
  }

  /** SGM at x from y₀ (left as it is). */
  static Outcome run(BilevelOracle oracle, double[] x, double[] y0, Parameters params) {
    BilevelProblem.Box domain = oracle.problem().yDomain();
    double[] yHat = y0.clone();
    LowerLevelSteps.descend(oracle, x, yHat, params.warmupSteps(), params.tau(), 0); // 2–4
    double[] y = y0.clone();
    double[] sum = new double[y.length];
    int upperSteps = 0;
    double lowerEstimate = Double.NaN;
    for (int k = 0; k < params.steps(); k++) {
      Batch batch = oracle.drawBatch();
      Derivatives[] d = k == 0
          ? oracle.evaluate(batch, x, new double[][] {y, yHat},
              LossRequest.lower(0).withGradY(), LossRequest.upper(0).withGradY(),
              LossRequest.lower(1))
          : oracle.evaluate(batch, x, new double[][] {y}, LossRequest.lower(0).withGradY(),
              LossRequest.upper(0).withGradY());
      if (k == 0) {
        lowerEstimate = d[2].value(); // line 5: ĝ*(x) = g(x, ŷ_K₀)
      }
      if (d[0].value() - lowerEstimate <= 2 * params.theta()) { // lines 7–9
        Vectors.descend(sum, -1, y); // sum += y_k, k ∈ I
        upperSteps++;
        step(y, params.tau(), d[1].gradY(), domain);
      } else { // line 11
        step(y, params.tau(), d[0].gradY(), domain);
      }
    }
    if (upperSteps == 0) {
      return new Outcome(y, 0, lowerEstimate);
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= upperSteps;
    }
    return new Outcome(sum, upperSteps, lowerEstimate);
  }

  private static void step(double[] y, double tau, double[] gradient, BilevelProblem.Box box) {
    Vectors.descend(y, tau, gradient);
    if (box != null) {
      box.project(y);
    }
  }
}
