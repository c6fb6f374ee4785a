package dev.h2fix.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
  void aSecondPathWaitsForTheListenersOfTheFirstButNotForItself() throws Exception {
    Object session = new Object();
    InvalidatedSession what =
        new InvalidatedSession(Client.JETTY, "127.0.0.1", 8443, InvalidatedSession.Reason.IO_FAILURE, null);
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean listenerReturned = new AtomicBoolean();
    AtomicReference<Boolean> reentrant = new AtomicReference<>();
    InvalidationListener slow = s -> {
      // Re-entrance from the delivering thread (a listener tearing the session down) returns at once.
      long start = System.nanoTime();
      reentrant.set(Invalidations.invalidate(session, what) || System.nanoTime() - start > 100_000_000L);
      inListener.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      listenerReturned.set(true);
    };
    try (AutoCloseable a = Invalidations.addListener(slow)) {
      Thread first = new Thread(() -> Invalidations.invalidate(session, what));
      first.start();
      assertTrue(inListener.await(5, TimeUnit.SECONDS));
      CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
        Invalidations.invalidate(session, what);
        return listenerReturned.get();
      });
      AtomicBoolean secondSteps = new AtomicBoolean();
      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        Invalidations.invalidate(session, () -> {
          secondSteps.set(true);
          return what;
        });
        return listenerReturned.get();
      });
      release.countDown();
      assertTrue(second.get(5, TimeUnit.SECONDS), "the second path returned before the first path's listener");
      assertTrue(waiter.get(5, TimeUnit.SECONDS), "a second path with steps returned before the first path's listener");
      assertFalse(secondSteps.get(), "a second path never runs its own steps");
      first.join(5_000);
    }
    assertFalse(reentrant.get(), "re-entrant call must return false at once");
  }

  @Test
  void theFirstPathRunsItsStepsBeforeTellingTheListeners() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    InvalidatedSession what =
        new InvalidatedSession(Client.OKHTTP, "127.0.0.1", 8443, InvalidatedSession.Reason.IO_FAILURE, null);
    try (AutoCloseable a = Invalidations.addListener(s -> order.add("listener"))) {
      assertTrue(Invalidations.invalidate(new Object(), () -> {
        order.add("steps");
        return what;
      }));
    }
    assertEquals(List.of("steps", "listener"), order);
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
