package org.f2ba.engine;

import java.io.Serializable;

/**
 * Mini-batch sizes of the upper and lower level; 0 means the full dataset. Both full gives the
 * deterministic setting, one full the partially stochastic and none the fully stochastic one.
 */
public record BatchSizes(int upper, int lower) implements Serializable {
  public static final BatchSizes FULL = new BatchSizes(0, 0);

  public int of(DataRole role) {
    return switch (role) {
      case UPPER -> upper;
      case LOWER -> lower;
      case TEST -> 0;
    };
  }
}
