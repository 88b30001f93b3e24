package org.f2ba.solver;

import java.util.Iterator;

/**
 * A bilevel solver: an endless iterator of outer iterations, each reported as an
 * {@link OuterState} whose {@link SolverState} continues it exactly. Stopping, logging,
 * metrics, divergence checks and checkpoints are the caller's.
 */
public interface BilevelSolver extends Iterator<OuterState> {
  @Override
  default boolean hasNext() {
    return true;
  }
}
