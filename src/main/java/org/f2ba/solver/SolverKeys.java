package org.f2ba.solver;

import java.util.Set;

/**
 * A solver's own configuration keys (solver.NAME.*), each read with its type and range checked;
 * a bad value is refused with a message naming the key.
 */
public interface SolverKeys {
  /** A finite number greater than 0. */
  double positive(String key);

  /** A finite number of at least 0. */
  double nonNegative(String key);

  /** A finite number. */
  double number(String key);

  /** An int of at least {@code min}. */
  int intAtLeast(String key, int min);

  boolean bool(String key);

  /** A string that must be one of {@code allowed}. */
  String choice(String key, Set<String> allowed);

  /** The refusal of {@code key}'s value, for {@code why}. */
  RuntimeException invalid(String key, String why);
}
