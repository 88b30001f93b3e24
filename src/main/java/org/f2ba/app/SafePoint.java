package org.f2ba.app;

import java.io.PrintStream;

/**
 * The last outer iteration a run completed, held as the checkpoint that resumes after it. It is
 * written when checkpointing says it is due, when a signal stops the run, and, with checkpoints
 * on, when the run fails, so that no completed iteration is lost that a checkpoint could keep.
 */
final class SafePoint {
  private final Checkpointing checkpointing;
  private final RunRecord output;
  private final PrintStream progress;
  private Checkpoint last;
  private boolean written;

  /** @param from the checkpoint the run resumed from, or null for a run from the start */
  SafePoint(Checkpointing checkpointing, RunRecord output, PrintStream progress,
      Checkpoint from) {
    this.checkpointing = checkpointing;
    this.output = output;
    this.progress = progress;
    this.last = from;
    this.written = true;
  }

  /** Outer iteration {@code c.iteration()} is complete; writes it where a checkpoint is due. */
  void reached(Checkpoint c) {
    last = c;
    written = false;
    if (checkpointing.due(c.iteration())) {
      write();
    }
  }

  /** Ends the run by {@link RunStopped} where a signal was received, after a checkpoint. */
  void stopIfSignalled(StopSignals stop) {
    String signal = stop.received();
    if (signal == null) {
      return;
    }
    if (last == null) {
      throw new RunStopped("stopped by " + signal + " before the first outer iteration;"
          + " nothing to resume: start the run again");
    }
    String kept;
    if (checkpointing.store() == null) {
      kept = "no checkpoint store";
    } else {
      if (!written) {
        write();
      }
      kept = "checkpoint in " + checkpointing.store().directory() + ", metrics so far in "
          + output.location() + "; continue with --resume";
    }
    throw new RunStopped("stopped by " + signal + " after outer iteration " + last.iteration()
        + ": " + kept);
  }

  /**
   * Writes the last completed iteration's checkpoint, where checkpoints are on and it was not
   * written yet, before {@code failure} ends the run; a failure to write is added to it.
   */
  void keepOnFailure(Exception failure) {
    if (last == null || written || checkpointing.store() == null || checkpointing.every() == 0) {
      return;
    }
    try {
      write();
      progress.printf("checkpoint of outer iteration %d written to %s%n", last.iteration(),
          checkpointing.store().directory());
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void write() {
    checkpointing.store().write(last);
    written = true;
  }
}
