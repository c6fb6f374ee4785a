package dev.h2fix.runtime;

/**
 * What a listener learns about a dead session. Deliberately small: host, port, why, and the class
 * name of the exception that killed it, if any. No URLs, headers or bodies.
 *
 * @param client the client library the session belongs to
 * @param host the peer host as the client knows it (name or address)
 * @param port the peer port
 * @param reason why the session died
 * @param causeType class name of the exception that ended it, or null
 */
public record InvalidatedSession(Client client, String host, int port, Reason reason, String causeType) {

  /** How a session died. */
  public enum Reason {
    /** The peer closed the connection (EOF, FIN). */
    PEER_CLOSED,
    /** A read or write failed (RST, broken pipe). */
    IO_FAILURE,
    /** The peer sent GOAWAY. */
    GOAWAY,
    /** A protocol error on the connection. */
    PROTOCOL_ERROR,
    /** A ping or idle timeout. */
    TIMEOUT,
    /** The application or the client closed it locally. */
    LOCAL_CLOSE
  }

  @Override
  public String toString() {
    return client.id() + " " + host + ":" + port + " " + reason + (causeType == null ? "" : " (" + causeType + ")");
  }
}
