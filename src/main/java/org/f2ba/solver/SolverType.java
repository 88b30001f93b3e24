package org.f2ba.solver;

import java.util.List;

/**
 * A solver with its parameters set: its name, the metric columns it adds, and how it starts
 * (from {@link SolverState#initial}) or continues (from a checkpoint's state) on an oracle.
 */
public interface SolverType {
  /** The name solver.name selects it by. */
  String name();

  /** The metrics of its own that each {@link OuterState} carries, in column order. */
  List<String> columns();

  /** A solver that continues from {@code state}. */
  BilevelSolver start(BilevelOracle oracle, SolverState state);
}
