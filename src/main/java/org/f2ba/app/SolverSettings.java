package org.f2ba.app;

import java.util.Set;
import org.f2ba.engine.BatchSizes;
import org.f2ba.solver.DeltaSchedule;
import org.f2ba.solver.F2baParameters;
import org.f2ba.solver.InnerSchedule;

/**
 * The solver part of a config: parameters, inner schedule, batch sizes, stopping rule, and the
 * norm past which an iterate counts as diverged.
 */
public record SolverSettings(F2baParameters parameters, InnerSchedule schedule,
    BatchSizes batchSizes, StoppingRule stop, double divergenceNorm) {

  public static SolverSettings fromConfig(RunConfig config) {
    double sigma = config.positive("solver.sigma");
    F2baParameters parameters = new F2baParameters(config.positive("solver.eta"),
        config.positive("solver.tau"), sigma, config.bool("solver.restart-z"),
        config.nonNegative("solver.inner-tolerance"));
    InnerSchedule schedule;
    if (config.choice("solver.schedule", Set.of("fixed", "delta")).equals("fixed")) {
      schedule = InnerSchedule.fixed(config.intAtLeast("solver.K", 1));
    } else {
      schedule = new DeltaSchedule(config.positive("solver.delta.L-g"),
          config.positive("solver.delta.mu"), sigma, config.positive("solver.delta.epsilon"),
          config.positive("solver.delta.delta0"), config.positive("solver.delta.c-k"),
          config.nonNegative("solver.delta.c-delta"));
    }
    BatchSizes batches = new BatchSizes(config.batchSize("solver.batch.upper"),
        config.batchSize("solver.batch.lower"));
    StoppingRule stop = new StoppingRule(config.intAtLeast("solver.T", 1),
        config.nonNegative("solver.stop.hypergrad-norm"),
        config.nonNegative("solver.stop.wall-seconds"));
    return new SolverSettings(parameters, schedule, batches, stop,
        config.positive("solver.divergence-norm"));
  }
}
