package org.f2ba.app;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.SolverKeys;
import org.f2ba.solver.SolverType;

/**
 * The solvers solver.name selects, each made from its own keys, solver.NAME.* (their defaults
 * and meanings are in f2ba-defaults.conf). A new solver is its own files plus one line here.
 */
final class Solvers {
  private static final Map<String, Function<SolverKeys, SolverType>> BY_NAME = new TreeMap<>(
      Map.of(F2ba.NAME, F2ba::fromKeys));

  private Solvers() {
  }

  /**
   * The solver solver.name names, from its keys; a key set for another solver is refused, as
   * it would silently do nothing.
   */
  static SolverType fromConfig(RunConfig config) {
    String name = config.choice("solver.name", BY_NAME.keySet());
    for (String key : config.userKeys()) {
      for (String other : BY_NAME.keySet()) {
        if (!other.equals(name) && key.startsWith("solver." + other + ".")) {
          throw config.invalid(key, "a key of solver " + other + ", but solver.name is "
              + name);
        }
      }
    }
    return BY_NAME.get(name).apply(config.keys("solver." + name + "."));
  }
}
