package dev.h2fix.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InvalidationsTest {

  @Test
  void onceperSessionListenersCalledAndTheirExceptionsSwallowed() throws Exception {
    List<InvalidatedSession> seen = new CopyOnWriteArrayList<>();
    long failuresBefore = Stats.get(Client.JETTY, Event.LISTENER_FAILURES);
    long invalidatedBefore = Stats.get(Client.JETTY, Event.SESSIONS_INVALIDATED_EARLY);
    InvalidationListener throwing = s -> {
      throw new IllegalStateException("boom");
    };
    try (AutoCloseable a = Invalidations.addListener(seen::add);
        AutoCloseable b = Invalidations.addListener(throwing)) {
      Object session = new Object();
      InvalidatedSession what =
          new InvalidatedSession(Client.JETTY, "127.0.0.1", 8443, InvalidatedSession.Reason.IO_FAILURE, null);
      assertTrue(Invalidations.invalidate(session, what));
      assertFalse(Invalidations.invalidate(session, what));
      assertTrue(Invalidations.isInvalidated(session));
      assertTrue(Invalidations.invalidate(new Object(), what));
    }
    assertEquals(2, seen.size());
    assertEquals(failuresBefore + 2, Stats.get(Client.JETTY, Event.LISTENER_FAILURES));
    assertEquals(invalidatedBefore + 2, Stats.get(Client.JETTY, Event.SESSIONS_INVALIDATED_EARLY));
  }

  @Test
  void weakIdentitySetComparesByIdentity() {
    WeakIdentitySet set = new WeakIdentitySet();
    String a = new String("x");
    String b = new String("x");
    assertTrue(set.add(a));
    assertTrue(set.add(b));
    assertFalse(set.add(a));
    assertEquals(2, set.size());
  }
}
