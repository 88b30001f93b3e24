package org.f2ba.app;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT, which YARN, Kubernetes and a terminal send before they kill a driver, as a
 * request to stop at the next safe point rather than at once. The first signal is recorded; a
 * second one gets the JVM's usual handling (exit). {@link #close} restores the earlier handlers.
 */
public final class StopSignals implements AutoCloseable {
  /** Exit code of a run stopped by a signal (EX_TEMPFAIL: try again, here with --resume). */
  public static final int EXIT_CODE = 75;
  /** Never requests a stop: for runs embedded where signals are not theirs to take. */
  public static final StopSignals NONE = new StopSignals();

  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile String received;

  private StopSignals() {
  }

  /** Takes over SIGTERM and SIGINT until {@link #close}. */
  public static StopSignals install() {
    StopSignals stop = new StopSignals();
    for (String name : List.of("TERM", "INT")) {
      Signal signal = new Signal(name);
      SignalHandler[] before = new SignalHandler[1];
      before[0] = Signal.handle(signal, s -> {
        if (stop.received == null) {
          stop.received = "SIG" + s.getName();
        } else if (before[0] != SignalHandler.SIG_DFL && before[0] != SignalHandler.SIG_IGN) {
          before[0].handle(s);
        } else {
          System.exit(128 + s.getNumber());
        }
      });
      stop.signals.add(signal);
      stop.previous.add(before[0]);
    }
    return stop;
  }

  /** The signal received ("SIGTERM", "SIGINT"), or null where none was. */
  public String received() {
    return received;
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
