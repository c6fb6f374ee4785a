package dev.h2fix.runtime;

/** A configuration that h2fix refuses. The message is one line that names the bad key or value and the valid ones. */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }
}
