package org.f2ba.app;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.f2ba.solver.AidCg;
import org.f2ba.solver.AidNeumann;
import org.f2ba.solver.Bome;
import org.f2ba.solver.F2ba;
import org.f2ba.solver.F2sa;
import org.f2ba.solver.GridSearch;
import org.f2ba.solver.Igfm;
import org.f2ba.solver.Itd;
import org.f2ba.solver.Saba;
import org.f2ba.solver.Soba;
import org.f2ba.solver.SolverKeys;
import org.f2ba.solver.SolverType;

/**
 * The solvers solver.name selects, each made from its own keys, solver.NAME.* (their defaults
 * and meanings are in f2ba-defaults.conf). A new solver is its own files plus one line here.
 */
public final class Solvers {
  private static final Map<String, Function<SolverKeys, SolverType>> BY_NAME = new TreeMap<>();

  static {
    BY_NAME.put(F2ba.NAME, F2ba::fromKeys);
    BY_NAME.put(F2ba.ACCELERATED, F2ba::acceleratedFromKeys);
    BY_NAME.put(AidCg.NAME, AidCg::fromKeys);
    BY_NAME.put(AidNeumann.NAME, AidNeumann::fromKeys);
    BY_NAME.put(Itd.NAME, Itd::fromKeys);
    BY_NAME.put(Soba.NAME, Soba::fromKeys);
    BY_NAME.put(Saba.NAME, Saba::fromKeys);
    BY_NAME.put(F2sa.NAME, F2sa::fromKeys);
    BY_NAME.put(Bome.NAME, Bome::fromKeys);
    BY_NAME.put(Igfm.NAME, Igfm::fromKeys);
    BY_NAME.put(GridSearch.NAME, GridSearch::fromKeys);
  }

  private Solvers() {
  }

  /** The names solver.name accepts, in order. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(BY_NAME.keySet());
  }

  /**
   * The solver solver.name names, from its keys. Keys of the other solvers are read by none: one
   * config may set several solvers, and the command line choose among them.
   */
  static SolverType fromConfig(RunConfig config) {
    String name = config.choice("solver.name", names());
    return BY_NAME.get(name).apply(config.keys("solver." + name + "."));
  }
}
