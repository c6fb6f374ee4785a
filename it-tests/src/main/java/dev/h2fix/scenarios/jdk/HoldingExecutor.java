package dev.h2fix.scenarios.jdk;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HttpClient executor that, once armed, holds back the next task the client's selector thread
 * hands to it, until released. The JDK client hands work to its executor from the selector thread
 * only when the socket has something for the connection's reader (its {@code DelegatingExecutor}
 * runs everything else inline): on an idle connection that the peer has just closed, that next task
 * is the reader's processing of the close (EOF or reset). Holding it keeps the connection in the
 * state "the socket has read the close, the client has not shut the connection down", which a busy
 * executor produces by chance, for as long as a scenario needs: deterministic, no sleeps.
 *
 * <p>The close must find the reader idle: if its last task is still running, the close is handed to
 * that task (the reader's scheduler reruns it) instead of to the executor. {@link #awaitIdle} waits
 * until no task of the client is queued or running.
 */
final class HoldingExecutor implements Executor {
  private final ExecutorService delegate;
  private final AtomicBoolean armed = new AtomicBoolean();
  private final AtomicReference<Runnable> heldTask = new AtomicReference<>();
  private volatile CountDownLatch held = new CountDownLatch(1);
  private final Object idle = new Object();
  private int inFlight; // guarded by idle: tasks handed to the delegate and not finished

  HoldingExecutor(ExecutorService delegate) {
    this.delegate = delegate;
  }

  /** Holds the next task from the selector thread; the latch counts down when it comes. */
  CountDownLatch arm() {
    CountDownLatch latch = new CountDownLatch(1);
    held = latch;
    armed.set(true);
    return latch;
  }

  /** Runs the held task (if any) and stops holding. Idempotent. */
  void release() {
    armed.set(false);
    Runnable task = heldTask.getAndSet(null);
    if (task != null) {
      submit(task);
    }
  }

  /** Waits (bounded) until no task is queued or running; true if so. */
  boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (idle) {
      while (inFlight > 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        idle.wait(left);
      }
      return true;
    }
  }

  @Override
  public void execute(Runnable task) {
    if (Thread.currentThread().getName().endsWith("SelectorManager") && armed.compareAndSet(true, false)) {
      heldTask.set(task);
      held.countDown();
      return;
    }
    submit(task);
  }

  private void submit(Runnable task) {
    synchronized (idle) {
      inFlight++;
    }
    try {
      delegate.execute(() -> {
        try {
          task.run();
        } finally {
          done();
        }
      });
    } catch (RuntimeException e) {
      done();
      throw e;
    }
  }

  private void done() {
    synchronized (idle) {
      if (--inFlight == 0) {
        idle.notifyAll();
      }
    }
  }

  void shutdownNow() {
    release();
    delegate.shutdownNow();
  }
}
