package dev.h2fix.runtime;

/**
 * Connections h2fix took out of service (dead, or retired after the server refused a stream on
 * them), held weakly and compared by identity, so that client modules can tell a failure caused by
 * that retirement from a failure of the connection's route.
 */
public final class Retirements {
  private static final WeakIdentitySet RETIRED = new WeakIdentitySet();

  private Retirements() {}

  /** Records that h2fix retired {@code connection}. */
  public static void retire(Object connection) {
    RETIRED.add(connection);
  }

  public static boolean isRetired(Object connection) {
    return RETIRED.contains(connection);
  }
}
