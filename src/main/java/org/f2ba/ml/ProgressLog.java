package org.f2ba.ml;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * The progress lines of a run (one an outer iteration), logged at INFO instead of printed: an
 * estimator runs inside the user's application, whose standard output is not its own.
 */
final class ProgressLog extends OutputStream {
  private final Logger log;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private ProgressLog(Logger log) {
    this.log = log;
  }

  /** A stream whose every line goes to {@code log} at INFO. */
  static PrintStream to(Logger log) {
    return new PrintStream(new ProgressLog(log), true, StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) {
    if (b == '\n') {
      log.info(line.toString(StandardCharsets.UTF_8));
      line.reset();
    } else {
      line.write(b);
    }
  }
}
