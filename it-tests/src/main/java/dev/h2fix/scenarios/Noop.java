package dev.h2fix.scenarios;

/** Does nothing but say it ran: for checking what the agent does to a JVM's start. */
public final class Noop {
  public static void main(String[] args) {
    System.out.println("H2FIX-COUNT started 1");
  }
}
