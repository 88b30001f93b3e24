package org.f2ba.app;

/**
 * How a run keeps checkpoints: in {@code store} every {@code every} outer iterations (0: only
 * when the run is stopped by a signal), and whether it starts from the newest one there. A null
 * store keeps none.
 */
public record Checkpointing(CheckpointStore store, int every, boolean resume) {
  public static final Checkpointing NONE = new Checkpointing(null, 0, false);

  public static Checkpointing fromConfig(RunConfig config) {
    int every = config.intAtLeast("checkpoint.every", 0);
    boolean resume = config.bool("checkpoint.resume");
    String dir = config.string("checkpoint.dir");
    if (dir.isEmpty()) {
      dir = config.string("output.dir") + ".checkpoints";
    }
    return new Checkpointing(new CheckpointStore(dir, resume), every, resume);
  }

  /** Whether a checkpoint is due after outer iteration {@code iteration}. */
  public boolean due(int iteration) {
    return store != null && every > 0 && iteration % every == 0;
  }
}
