package org.f2ba.engine;

import java.io.Serializable;

/**
 * Which rows of each role an evaluation sees where it asks for mini-batches: a random draw,
 * fixed by the seed and the draw's {@code number} (with the run's batch sizes), or part
 * {@code part} of a fixed partition of each role's rows into {@code parts} batches (the batch
 * sizes are then those of the parts). Partition batches are what methods with a memory per
 * batch (SAGA, SABA) revisit.
 */
public record Draw(long number, int part, int parts) implements Serializable {
  public Draw {
    if (parts < 0 || (parts > 0 && (part < 0 || part >= parts))) {
      throw new IllegalArgumentException("part " + part + " of " + parts);
    }
  }

  /** The random draw of this number. */
  public static Draw random(long number) {
    return new Draw(number, 0, 0);
  }

  /** Batch {@code part} of the partition of every role's rows into {@code parts}. */
  public static Draw partOf(int part, int parts) {
    if (parts < 1) {
      throw new IllegalArgumentException("a partition into " + parts + " batches");
    }
    return new Draw(0, part, parts);
  }

  /** Whether this is a batch of a fixed partition rather than a random draw. */
  public boolean isPartition() {
    return parts > 0;
  }
}
