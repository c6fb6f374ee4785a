package dev.h2fix.scenarios.jetty;

import dev.h2fix.runtime.Invalidations;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * A stream whose {@code newStream} is overtaken by the session's end, Jetty's low-level
 * HTTP2Client: its slot is reserved (the session still NOT_CLOSED, the stream counted and given its
 * id), then the session's end is processed, and only then is the stream put into the session's map
 * and its HEADERS written, so that Jetty's failure passes never see it.
 *
 * <p>Made to happen every time, without touching Jetty: the stream's {@link HeadersFrame} is a
 * subclass whose {@code withStreamId} (which {@code newStream} calls between reserving the slot and
 * creating the stream) waits on a latch. Stream A, opened first (so its id is lower), carries the
 * fault:
 * <ul>
 *   <li>{@code goaway}: the bench answers A with GOAWAY(last-stream-id = A - 2), then closes the
 *       connection. The late stream goes on once the session listener's {@code onFailure} for that
 *       close has let Jetty's second failure pass run. Stock: the promise succeeds, no stream
 *       callback ever comes, and the session never closes (the late stream's count keeps it
 *       CLOSING).</li>
 *   <li>{@code fin}: the proxy closes the connection under A. Jetty fails the streams of a copy of
 *       its map, then terminates; the late stream goes on from A's {@code onFailure} (inside that
 *       pass), and A's callback waits (bounded) until the late stream's promise is decided. Stock:
 *       the promise succeeds (HEADERS written to the dying connection) and the stream is closed
 *       without a response: the application cannot tell it was never processed.</li>
 * </ul>
 * With h2fix the late stream is refused ("session closed", never sent), after onClose and h2fix's
 * InvalidationListener, and the session closes.
 *
 * <p>Args: --h2c|--tls=port --transport=h2c|tls --keystore --password --fault=goaway|fin
 * --iterations=n --tag=name
 */
public final class LowLevelLateStream {
  /** How long the late stream's end and the session's close are waited for, together (loopback). */
  private static final long END_WAIT_MS = 3_000;
  private static final long STEP_WAIT_SECONDS = 20;

  public static void main(String[] argv) {
    ScenarioMain.run(argv, LowLevelLateStream::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    LowLevel low = new LowLevel(args);
    int iterations = args.getInt("iterations");
    String fault = args.get("fault");
    if (!fault.equals("goaway") && !fault.equals("fin")) {
      throw new IllegalArgumentException("--fault must be goaway or fin, not " + fault);
    }
    String tag = args.get("tag");
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      for (int i = 0; i < iterations; i++) {
        iteration(low, tag + "-" + i, fault, threads, report);
        report.add("iterations");
      }
    } finally {
      threads.shutdownNow();
      low.stopWithin(report, 10_000);
    }
    report.agentState("jetty");
    report.print();
  }

  private static void iteration(LowLevel low, String id, String fault, ExecutorService threads, Report report)
      throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    CountDownLatch secondPassDone = new CountDownLatch(1);
    Session session = low.connect(new Session.Listener() {
      @Override
      public void onFailure(Session s, Throwable failure, Callback callback) {
        // The connection's close: Jetty's failure pass (the second one after a GOAWAY) runs in this callback.
        callback.succeeded();
        secondPassDone.countDown();
      }

      @Override
      public void onClose(Session s, GoAwayFrame frame, Callback callback) {
        closed.complete(null);
        callback.succeeded();
      }
    }).get(30, TimeUnit.SECONDS);

    CountDownLatch aReserved = new CountDownLatch(1);
    CountDownLatch aGo = new CountDownLatch(1);
    CountDownLatch lateReserved = new CountDownLatch(1);
    CountDownLatch lateGo = new CountDownLatch(1);
    HeadersFrame a = held(low.request(id + "-a", fault), aReserved, aGo);
    HeadersFrame late = held(low.request(id + "-late", null), lateReserved, lateGo);
    CompletableFuture<Boolean> sent = new CompletableFuture<>();
    CompletableFuture<String> ended = new CompletableFuture<>();
    // fin: A's onFailure runs inside Jetty's failure pass, after it copied the stream map.
    Runnable inFailurePass = fault.equals("fin") ? () -> letGoAndAwait(lateGo, sent, report) : () -> { };

    threads.execute(() -> open(session, a, new CompletableFuture<>(), new CompletableFuture<>(), inFailurePass, () -> { }));
    await(aReserved, "a.notReserved", report);
    Runnable beforeRefused = () -> {
      report.add(closed.isDone() ? "late.failedAfterOnClose" : "late.failedBeforeOnClose");
      report.add(Invalidations.isInvalidated(session) ? "late.failedAfterH2fixListener" : "late.failedBeforeH2fixListener");
    };
    threads.execute(() -> open(session, late, sent, ended, () -> { }, beforeRefused));
    await(lateReserved, "late.notReserved", report);
    aGo.countDown(); // A's HEADERS go out; the bench or the proxy ends the session
    if (fault.equals("goaway")) {
      await(secondPassDone, "session.noFailure", report);
      lateGo.countDown();
    }

    try {
      if (sent.get(STEP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        report.add("late.sent");
      }
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable x = e.getCause();
      boolean refused = x.getClass() == IllegalStateException.class && "session closed".equals(x.getMessage());
      report.add(refused ? "late.refused" : "late.failed." + x.getClass().getSimpleName());
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(END_WAIT_MS);
    try {
      report.add("stream.ended." + ended.get(END_WAIT_MS, TimeUnit.MILLISECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      report.add("stream.neverEnded");
    }
    try {
      closed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      report.add("session.closed");
    } catch (java.util.concurrent.TimeoutException e) {
      report.add("session.neverClosed");
    }
  }

  /** A copy of {@code frame} whose {@code withStreamId}, called once its slot is reserved, waits for {@code go}. */
  private static HeadersFrame held(HeadersFrame frame, CountDownLatch reserved, CountDownLatch go) {
    return new HeadersFrame(frame.getMetaData(), frame.getPriority(), frame.isEndStream()) {
      @Override
      public HeadersFrame withStreamId(int streamId) {
        reserved.countDown();
        try {
          go.await(STEP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.withStreamId(streamId);
      }
    };
  }

  /**
   * Opens a stream: {@code sent} says whether its promise succeeded, {@code ended} how it ended.
   * {@code inStreamFailure} runs in the stream listener's onFailure before its callback completes;
   * {@code beforeFailed} in the promise's failed before anything else (the late stream records
   * there whether the session-level callbacks, onClose and h2fix's InvalidationListener, came first).
   */
  private static void open(Session session, HeadersFrame frame, CompletableFuture<Boolean> sent,
      CompletableFuture<String> ended, Runnable inStreamFailure, Runnable beforeFailed) {
    session.newStream(frame, new Promise<Stream>() {
      @Override
      public void succeeded(Stream stream) {
        sent.complete(true);
      }

      @Override
      public void failed(Throwable x) {
        beforeFailed.run();
        sent.completeExceptionally(x);
        ended.complete("refused");
      }
    }, new Stream.Listener() {
      @Override
      public void onHeaders(Stream stream, HeadersFrame response) {
        ended.complete("headers");
        if (!response.isEndStream()) {
          stream.demand();
        }
      }

      @Override
      public void onDataAvailable(Stream stream) {
        LowLevel.drain(stream, () -> { });
      }

      @Override
      public void onReset(Stream stream, ResetFrame frame, Callback callback) {
        ended.complete("reset");
        callback.succeeded();
      }

      @Override
      public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
        ended.complete("failure");
        inStreamFailure.run();
        callback.succeeded();
      }

      @Override
      public void onClosed(Stream stream) {
        ended.complete("closed");
      }
    });
  }

  /**
   * In A's onFailure, inside Jetty's failure pass (fin): lets the late stream go on and waits,
   * bounded, until its promise is decided, so that the pass (and the terminate after it) comes after.
   */
  private static void letGoAndAwait(CountDownLatch lateGo, CompletableFuture<Boolean> sent, Report report) {
    lateGo.countDown();
    try {
      sent.get(STEP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      report.add("late.undecidedInPass");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      // refused: decided
    }
  }

  private static void await(CountDownLatch latch, String timeoutKey, Report report) throws InterruptedException {
    if (!latch.await(STEP_WAIT_SECONDS, TimeUnit.SECONDS)) {
      report.add(timeoutKey);
    }
  }
}
