package org.f2ba.solver;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A solver with its parameters set: its name, the metric columns it adds, and how it starts
 * (from {@link SolverState#initial}) or continues (from a checkpoint's state) on an oracle.
 */
public interface SolverType {
  /** The name solver.name selects it by. */
  String name();

  /** The metrics of its own that each {@link OuterState} carries, in column order. */
  List<String> columns();

  /**
   * A solver that continues from {@code state}; IllegalArgumentException where it cannot run
   * on the oracle's problem.
   */
  BilevelSolver start(BilevelOracle oracle, SolverState state);

  /** The solver type of this name and columns that {@code starter} starts. */
  static SolverType of(String name, List<String> columns,
      BiFunction<BilevelOracle, SolverState, BilevelSolver> starter) {
    return new SolverType() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> columns() {
        return columns;
      }

      @Override
      public BilevelSolver start(BilevelOracle oracle, SolverState state) {
        return starter.apply(oracle, state);
      }
    };
  }
}
