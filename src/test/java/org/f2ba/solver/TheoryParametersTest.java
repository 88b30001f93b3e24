package org.f2ba.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.f2ba.engine.BatchSizes;
import org.junit.jupiter.api.Test;

/** Theory mode against values computed by hand from Theorems 4.1 and 4.2. */
class TheoryParametersTest {
  // ℓ = 2, μ = 0.5 (κ = 4), L_f = 1, L_g = 2, C_f = 1, ρ_f = 1, ρ_g = 2, M_f = 1, M_g = 0,
  // R = 1, ε = 0.1, σ̄ = 1; every hidden constant 1.
  private final TheoryParameters theory = new TheoryParameters(
      new TheoryParameters.Constants(2, 0.5, 1, 2, 1, 1, 2, 1, 0, 1, 0.1, 1),
      new TheoryParameters.Hidden(1, 1, 1, 1, 1, 1, 1, 1));

  @Test
  void stepSizesAndPenalty() {
    assertEquals(4, theory.kappa(), 0);
    assertEquals(1.0 / 128, theory.eta(), 1e-15); // 1 / (ℓκ³)
    // σ = min{R/κ = 0.25, ε/(ℓκ³) = 0.1/128, L_g/L_f = 2, ρ_g/ρ_f = 2, σ̄ = 1}
    assertEquals(0.1 / 128, theory.sigma(), 1e-15);
    assertEquals(1 / (0.1 / 128 + 2), theory.tau(), 1e-15); // 1 / (σL_f + L_g)
  }

  @Test
  void ellZeroMeansItsDefinition() {
    // ℓ = max{C_f, L_f, L_g, ρ_g} = max{1, 1, 2, 2} = 2, as given above
    TheoryParameters derived = new TheoryParameters(
        new TheoryParameters.Constants(0, 0.5, 1, 2, 1, 1, 2, 1, 0, 1, 0.1, 1),
        new TheoryParameters.Hidden(1, 1, 1, 1, 1, 1, 1, 1));
    assertEquals(2, derived.ell(), 0);
    assertEquals(theory.eta(), derived.eta(), 0);
  }

  @Test
  void batchOnlyWhereTheGradientsAreNoisy() {
    // B = L_g (σ²M_f² + M_g²) / (μσ²ε²) = 2 / (0.5 · 0.01) = 400; M_g = 0: lower level full.
    assertEquals(new BatchSizes(400, 0), theory.batchSizes());
  }

  @Test
  void outerIterationsInnerStepsAndBudget() {
    assertEquals(12_800, theory.outerIterations()); // ℓκ³/ε² = 128 / 0.01
    // K_0 = ⌈(L_g/μ) log(L_g³ δ_0 / (μσ²ε²))⌉ with δ_0 = R = 1
    double s = 0.1 / 128;
    assertEquals((int) Math.ceil(4 * Math.log(8 / (0.5 * s * s * 0.01))),
        theory.schedule().innerSteps());
    assertEquals(87, theory.schedule().innerSteps());
    // Noise in ∇f only: ℓκ⁵ε⁻⁴ log(ρ_f ℓκ/ε) = 2 · 1024 · 10⁴ · log 80
    assertEquals(2 * 1024 * 1e4 * Math.log(80), theory.predictedOracleCalls(), 1e-3);
  }
}
