package org.f2ba.app;

import java.util.List;
import org.f2ba.solver.SolverState;

/**
 * Everything a run needs to continue exactly where it was after an outer iteration: the
 * solver's name and state (x, y and its named vectors and scalars), the sampler's draw count,
 * the oracle calls, the wall time so far and the metric rows written. {@code problem} names the
 * problem and its dimensions, so that a checkpoint is never resumed into another;
 * {@code sampling} the seed, batch sizes and partitions, without which the resumed run is not
 * the uninterrupted one bit for bit.
 */
public record Checkpoint(String problem, String sampling, String solver, SolverState state,
    long draws, long oracleCalls, long secondOrderCalls, double wallSeconds,
    List<List<String>> metricRows) {

  /** The outer iteration it continues after. */
  public int iteration() {
    return state.iteration();
  }
}
