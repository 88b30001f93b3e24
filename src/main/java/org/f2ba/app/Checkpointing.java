package org.f2ba.app;

/**
 * How a run keeps checkpoints: in {@code store} every {@code every} outer iterations (0: never),
 * and whether it starts from the newest one there.
 */
public record Checkpointing(CheckpointStore store, int every, boolean resume) {
  public static final Checkpointing NONE = new Checkpointing(null, 0, false);

  public static Checkpointing fromConfig(RunConfig config) {
    int every = config.intAtLeast("checkpoint.every", 0);
    boolean resume = config.bool("checkpoint.resume");
    if (every == 0 && !resume) {
      return NONE;
    }
    String dir = config.string("checkpoint.dir");
    if (dir.isEmpty()) {
      dir = config.string("output.dir") + ".checkpoints";
    }
    return new Checkpointing(new CheckpointStore(dir), every, resume);
  }
}
