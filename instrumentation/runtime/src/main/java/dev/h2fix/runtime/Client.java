package dev.h2fix.runtime;

/** The HTTP/2 clients h2fix knows. The name is the one used in configuration keys and counters. */
public enum Client {
  OKHTTP("okhttp"),
  JETTY("jetty"),
  JDK("jdk");

  private final String id;

  Client(String id) {
    this.id = id;
  }

  /** The lower-case name used in configuration keys, counters and log lines. */
  public String id() {
    return id;
  }
}
