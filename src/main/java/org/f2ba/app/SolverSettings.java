package org.f2ba.app;

import org.f2ba.engine.BatchSizes;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.F2baParameters;
import org.f2ba.solver.SolverType;
import org.f2ba.solver.TheoryParameters;

/**
 * The solver part of a config: the solver with its parameters, batch sizes, stopping rule, the
 * norm past which an iterate counts as diverged, and, in theory mode, what the theorems set
 * (else null).
 */
public record SolverSettings(SolverType solver, BatchSizes batchSizes, StoppingRule stop,
    double divergenceNorm, TheoryParameters theory) {

  public static SolverSettings fromConfig(RunConfig config) {
    if (config.bool("solver.theory.enabled")) {
      return fromTheory(config);
    }
    BatchSizes batches = new BatchSizes(config.batchSize("solver.batch.upper"),
        config.batchSize("solver.batch.lower"));
    StoppingRule stop = new StoppingRule(config.intAtLeast("solver.T", 1),
        config.nonNegative("solver.stop.hypergrad-norm"),
        config.nonNegative("solver.stop.wall-seconds"));
    return new SolverSettings(Solvers.fromConfig(config), batches, stop,
        config.positive("solver.divergence-norm"), null);
  }

  /** Theory mode (F²BA only): parameters by Theorems 4.1 and 4.2 from solver.theory.*. */
  private static SolverSettings fromTheory(RunConfig config) {
    if (!config.string("solver.name").equals(F2ba.NAME)) {
      throw config.invalid("solver.theory.enabled", "theory mode sets the parameters of F²BA"
          + " (solver.name = " + F2ba.NAME + "), not of " + config.string("solver.name"));
    }
    String t = "solver.theory.";
    TheoryParameters theory = new TheoryParameters(
        new TheoryParameters.Constants(config.nonNegative(t + "ell"), config.positive(t + "mu"),
            config.positive(t + "L-f"), config.positive(t + "L-g"), config.positive(t + "C-f"),
            config.positive(t + "rho-f"), config.positive(t + "rho-g"),
            config.nonNegative(t + "M-f"), config.nonNegative(t + "M-g"),
            config.positive(t + "R"), config.positive(t + "epsilon"),
            config.positive(t + "sigma-bar")),
        new TheoryParameters.Hidden(config.positive(t + "c-eta"),
            config.positive(t + "c-sigma"), config.positive(t + "c-k"),
            config.positive(t + "c-batch"), config.positive(t + "c-T"),
            config.positive(t + "c-delta0"), config.nonNegative(t + "c-delta"),
            config.positive(t + "c-budget")));
    F2baParameters parameters = new F2baParameters(theory.eta(), theory.tau(), theory.sigma(),
        config.bool("solver.f2ba.restart-z"), config.nonNegative("solver.f2ba.inner-tolerance"));
    StoppingRule stop = new StoppingRule(theory.outerIterations(),
        config.nonNegative("solver.stop.hypergrad-norm"),
        config.nonNegative("solver.stop.wall-seconds"));
    return new SolverSettings(F2ba.type(parameters, theory::schedule), theory.batchSizes(), stop,
        config.positive("solver.divergence-norm"), theory);
  }
}
