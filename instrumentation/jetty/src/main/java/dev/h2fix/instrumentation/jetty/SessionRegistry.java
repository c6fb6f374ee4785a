package dev.h2fix.instrumentation.jetty;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http2.frames.GoAwayFrame;

/**
 * Helper injected into Jetty's class loader: what h2fix remembers about a dying client session,
 * keyed by the session's identity and held weakly (a session that was never torn down leaves no
 * trace once collected). Lock-free apart from {@link ConcurrentHashMap}'s own bin locks.
 */
public final class SessionRegistry {
  private static final ConcurrentHashMap<Key, SessionRegistry> STATES = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  /**
   * The claim once Jetty's {@code notifyClose} has come: onClose was delivered (by stock, or early
   * by h2fix and Jetty's callback chained). Holds no reference to the session or its callbacks.
   */
  static final Object DELIVERED = new Object();

  /** The GOAWAY the peer sent, if any: the frame the early onClose carries, as stock's would. */
  volatile GoAwayFrame goAwayReceived;
  /**
   * Set when a failing teardown called {@code notifyFailure} (EOF, read or write failure, protocol
   * error, idle timeout of a closing session): every one of them ends the session.
   */
  volatile boolean failing;
  /**
   * The session's {@code Session.Listener} and {@code lastRemoteStreamId}, recorded when the session
   * is built, for the teardown paths whose advice runs outside {@code HTTP2Session} itself. Held
   * weakly: the listener (HttpClient's references its connection, which references the session)
   * must not keep the session alive through this map.
   */
  volatile WeakReference<Object> listener;
  volatile WeakReference<AtomicInteger> lastRemoteStreamId;
  /** The peer's address while the session was alive: a closed endpoint no longer knows it. */
  volatile java.net.SocketAddress remoteAddress;
  /** The early onClose, once h2fix claimed it (kept after Jetty's notifyClose replaced the claim). */
  volatile EarlyClose early;
  /**
   * The teardown step of {@code HTTP2Session$StreamsState} under way (or the last one), for a
   * {@code newStream} refused in the middle of it ({@link RefusedStream}).
   */
  final AtomicReference<Teardown> teardown = new AtomicReference<>();
  /** Who delivers onClose: null (undecided), an {@link EarlyClose} (h2fix did, early), or {@link #DELIVERED}. */
  final AtomicReference<Object> closeClaim = new AtomicReference<>();

  private SessionRegistry() {}

  static SessionRegistry of(Object session) {
    for (Object ref; (ref = QUEUE.poll()) != null; ) {
      STATES.remove(ref);
    }
    SessionRegistry state = STATES.get(new Key(session, null));
    if (state != null) {
      return state;
    }
    SessionRegistry fresh = new SessionRegistry();
    state = STATES.putIfAbsent(new Key(session, QUEUE), fresh);
    return state == null ? fresh : state;
  }

  static SessionRegistry peek(Object session) {
    return STATES.get(new Key(session, null));
  }

  /** A weak reference compared by the identity of its referent. */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == ((Key) other).get();
    }
  }
}
