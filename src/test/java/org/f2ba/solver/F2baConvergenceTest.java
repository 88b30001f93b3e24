package org.f2ba.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.f2ba.TestData;
import org.f2ba.engine.BatchSizes;
import org.f2ba.engine.LocalEngine;
import org.f2ba.engine.Sharding;
import org.f2ba.problem.Arithmetic;
import org.f2ba.problem.BilevelProblem;
import org.f2ba.problem.examples.LiuExample;
import org.f2ba.problem.examples.QuadraticProblem;
import org.junit.jupiter.api.Test;

/** F²BA reaches the solutions the paper's theory promises on problems with known answers. */
class F2baConvergenceTest {

  @Test
  void quadraticProblemReachesSmallTrueHypergradient() {
    QuadraticProblem quadratic = TestData.quadratic();
    double[] x0 = {3, -2};
    assertTrue(Vectors.norm(quadratic.hypergradient(x0)) > 1);
    // L_g = λmax(A) ≈ 4.6, so τ = 1/(σ L_f + L_g) ≈ 0.2.
    F2ba solver = solver(quadratic.problem(), new F2baParameters(0.5, 0.2, 1e-4, false, 0), 30,
        x0, new double[3]);
    OuterState state = null;
    for (int t = 0; t < 200; t++) {
      state = solver.next();
    }
    assertTrue(Vectors.norm(quadratic.hypergradient(state.x())) <= 1e-3,
        "true hyper-gradient norm " + Vectors.norm(quadratic.hypergradient(state.x())));
  }

  @Test
  void liuExampleWithNonUniqueLowerSolutionsConvergesToOne() {
    F2ba solver = solver(LiuExample.problem(), new F2baParameters(0.1, 0.4, 0.1, false, 0), 20,
        new double[] {-2}, new double[] {0, 0});
    OuterState state = null;
    for (int t = 0; t < 300; t++) {
      state = solver.next();
    }
    assertEquals(1.0, state.x()[0], 1e-3);
  }

  @Test
  void innerToleranceEndsTheInnerLoopEarly() {
    F2ba solver = solver(LiuExample.problem(), new F2baParameters(0.1, 0.4, 0.1, false, 1e-3),
        1000, new double[] {0.5}, new double[] {0, 0});
    OuterState first = solver.next();
    assertTrue(first.innerSteps() < 1000);
    assertTrue(first.metric("inner_grad_norm_z") <= 1e-3
        && first.metric("inner_grad_norm_y") <= 1e-3);
  }

  @Test
  void deltaScheduleFollowsEquationsEightAndNine() {
    DeltaSchedule schedule = new DeltaSchedule(2.0, 0.5, 0.1, 0.01, 1.0, 1.0, 1.0);
    // K_0 = ceil((L_g/μ) log(L_g³ δ_0 / (μ σ² ε²))) = ceil(4 log(8 / (0.5e-6)))
    assertEquals((int) Math.ceil(4 * Math.log(8 / 0.5e-6)), schedule.innerSteps());
    schedule.observe(new double[] {0, 0}, new double[] {0.3, 0.4});
    // δ_1 = δ_0/2 + 8 L_g²/μ² ‖Δx‖² + σ² ε² / L_g²
    assertEquals(0.5 + 8 * 16 * 0.25 + 1e-6 / 4, schedule.delta(), 1e-12);
  }

  private static F2ba solver(BilevelProblem problem, F2baParameters params, int k, double[] x0,
      double[] y0) {
    LocalEngine engine = new LocalEngine(problem, Sharding.split(Map.of(), 1, 1));
    BilevelOracle oracle = new BilevelOracle(problem, engine, BatchSizes.FULL, 1,
        Arithmetic.DEFAULT);
    return new F2ba(oracle, params, InnerSchedule.fixed(k), x0, y0);
  }
}
