package dev.h2fix.chaos;

/** A bad command line: the message names the option and what is valid. */
public final class OptionException extends RuntimeException {
  public OptionException(String message) {
    super(message);
  }
}
