package org.f2ba.app;

/**
 * A run stopped by a signal at a safe point, its checkpoint and metrics written: the program
 * exits with {@link StopSignals#EXIT_CODE}, and --resume continues it.
 */
public final class RunStopped extends RuntimeException {
  public RunStopped(String message) {
    super(message);
  }
}
