package org.f2ba.data;

/**
 * A problem with the user's input (a data file, a config key, a diverging run) that ends the
 * program with one clear message naming the file, key or iteration.
 */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
