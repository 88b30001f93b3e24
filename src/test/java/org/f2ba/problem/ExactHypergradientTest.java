package org.f2ba.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.f2ba.TestData;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.problem.examples.HardInstance;
import org.f2ba.problem.examples.QuadraticProblem;
import org.f2ba.problem.examples.SyntheticPlFamily;
import org.f2ba.solver.BilevelOracle;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.F2baParameters;
import org.f2ba.solver.InnerSchedule;
import org.f2ba.solver.OuterState;
import org.f2ba.solver.Vectors;
import org.junit.jupiter.api.Test;

/**
 * The closed-form hyper-gradients against central finite differences of φ, the synthetic family's
 * PL assumption, and F²BA reaching a small true hyper-gradient on it.
 */
class ExactHypergradientTest {
  private final SyntheticPlFamily family = new SyntheticPlFamily(3, 6, 2, 0.5, 7);

  @Test
  void syntheticFamilyHypergradientMatchesFiniteDifferences() {
    compare(family::hyperObjective, family::hypergradient, new double[] {0.3, -1.2, 2.0});
    // φ is f at any lower-level solution
    double[] x = {0.3, -1.2, 2.0};
    assertEquals(family.hyperObjective(x),
        family.problem().upperTerm().evaluate(x, family.lowerSolution(x), null, null), 1e-12);
  }

  @Test
  void quadraticHypergradientMatchesFiniteDifferences() {
    QuadraticProblem quadratic = TestData.quadratic();
    ToDoubleFunction<double[]> phi = x -> quadratic.problem().upperTerm()
        .evaluate(x, quadratic.lowerSolution(x), null, null);
    compare(phi, quadratic::hypergradient, new double[] {0.7, -0.4});
  }

  @Test
  void hardInstanceHypergradientMatchesFiniteDifferences() {
    HardInstance instance = new HardInstance(2, 3);
    double[] yStar = new double[instance.dimY()];
    Arrays.fill(yStar, 1 / Math.sqrt(instance.dimY()));
    compare(x -> instance.problem().upperTerm().evaluate(x, yStar, null, null),
        instance::hypergradient, new double[] {0.4});
  }

  @Test
  void penaltyStaysPlAlongEachDirectionForSmallSigma() {
    // Along a direction, σf + g is s(u − c) + σ ρ(u − b): check ‖h'‖² ≥ 2μ (h − min h) on a grid.
    for (double sigma : new double[] {0, 0.1, 0.5}) {
      for (double offset : new double[] {-3, 0, 3}) {
        double[] us = new double[4001];
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < us.length; k++) {
          us[k] = -10 + k * 0.005;
          min = Math.min(min, h(us[k], offset, sigma));
        }
        double mu = Double.POSITIVE_INFINITY;
        for (double u : us) {
          double gap = h(u, offset, sigma) - min;
          if (gap > 1e-6) {
            double d = hPrime(u, offset, sigma);
            mu = Math.min(mu, d * d / (2 * gap));
          }
        }
        assertTrue(mu > 0.02, "PL constant " + mu + " at σ = " + sigma + ", b − c = " + offset);
      }
    }
  }

  private static double h(double u, double offset, double sigma) {
    double sin = Math.sin(u);
    double v = u - offset;
    return u * u + 3 * sin * sin + sigma * (Math.sqrt(1 + v * v) - 1);
  }

  private static double hPrime(double u, double offset, double sigma) {
    double v = u - offset;
    return 2 * u + 3 * Math.sin(2 * u) + sigma * v / Math.sqrt(1 + v * v);
  }

  @Test
  void deterministicF2baReachesATinyTrueHypergradientOnTheSyntheticFamily() {
    BilevelProblem problem = family.problem();
    LocalEngine engine = new LocalEngine(problem, Sharding.split(java.util.Map.of(), 1, 1));
    BilevelOracle oracle = new BilevelOracle(problem, engine, BatchSizes.FULL, 1,
        Arithmetic.DOUBLE);
    // L_g = max s'' = 8, so τ = 1/(σ L_f + L_g) ≈ 0.125.
    F2ba solver = new F2ba(oracle, new F2baParameters(0.5, 0.12, 1e-5, false, 0),
        InnerSchedule.fixed(40), new double[] {0.3, -1.2, 2.0}, new double[6]);
    OuterState state = null;
    for (int t = 0; t < 400; t++) {
      state = solver.next();
    }
    double norm = Vectors.norm(family.hypergradient(state.x()));
    assertTrue(norm <= 1e-4, "‖∇φ(x_T)‖ = " + norm);
  }

  private static void compare(ToDoubleFunction<double[]> phi, UnaryOperator<double[]> grad,
      double[] x) {
    double[] exact = grad.apply(x);
    double h = 1e-6;
    for (int j = 0; j < x.length; j++) {
      double saved = x[j];
      x[j] = saved + h;
      double plus = phi.applyAsDouble(x);
      x[j] = saved - h;
      double minus = phi.applyAsDouble(x);
      x[j] = saved;
      assertEquals((plus - minus) / (2 * h), exact[j], 1e-7, "∂φ/∂x[" + j + "]");
    }
  }
}
