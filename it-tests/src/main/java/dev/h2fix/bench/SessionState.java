package dev.h2fix.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.util.Callback;

/**
 * Per server session: decides, under one lock, whether a new stream is delivered or refused, sends
 * GOAWAY frames with a chosen last-stream-id, and closes the connection (FIN) once the GOAWAY is
 * written and every delivered stream at or below that id has finished.
 *
 * <p>Jetty drops new streams above the last-stream-id of a GOAWAY it sent without telling the
 * session listener, so this also listens to incoming HEADERS frames (which Jetty reports before it
 * decides) to count those as refused. A GOAWAY computed from the highest HEADERS seen, under the
 * same lock, never declares a delivered stream unprocessed. Deliveries are always exact; refusals
 * Jetty makes on its own are not counted (streams over its max concurrent streams, and a stream
 * racing the final GOAWAY Jetty sends by itself after a graceful one).
 */
final class SessionState implements HTTP2Session.FrameListener {
  enum Admission { DELIVERED, REFUSED, EXCLUDED }

  private static final byte[] GOAWAY_DEBUG = "h2fix-bench".getBytes(StandardCharsets.US_ASCII);

  private final HTTP2Session session;
  private final DeliveryLog log;
  private final Executor executor;

  // All guarded by this.
  private int highestSeen;
  private int goAwayLast = -1; // last-stream-id of the lowest GOAWAY sent, -1 = none yet
  private boolean goAwayWritten;
  private boolean closing;
  private final TreeSet<Integer> inFlight = new TreeSet<>(); // delivered, not finished
  private final Set<Integer> refusedEarly = new HashSet<>(); // excluded streams already counted

  SessionState(HTTP2Session session, DeliveryLog log, Executor executor) {
    this.session = session;
    this.log = log;
    this.executor = executor;
    session.addEventListener(this);
  }

  Session session() {
    return session;
  }

  /** Jetty calls this for each received frame before acting on it. */
  @Override
  public void onIncomingFrame(Session s, Frame frame) {
    if (frame instanceof HeadersFrame headers && headers.getMetaData() instanceof MetaData.Request request) {
      int stream = headers.getStreamId();
      synchronized (this) {
        highestSeen = Math.max(highestSeen, stream);
        if (excluded(stream)) {
          refusedEarly.add(stream); // Jetty will drop it; count it here
          String id = request.getHttpFields().get(BenchProtocol.ID);
          log.refused(id);
          log.note(id, where(stream) + " refused on arrival (above the GOAWAY)");
        }
      }
    }
  }

  /** Jetty calls this before writing frames; catches the GOAWAY Jetty sends by itself. */
  @Override
  public void onOutgoingFrame(Session s, Frame frame) {
    if (frame instanceof GoAwayFrame goAway && !goAway.isGraceful()) {
      synchronized (this) {
        if (goAwayLast >= 0 && goAway.getLastStreamId() >= goAwayLast) {
          return; // ours (or no lower): our own callback tracks it
        }
        goAwayLast = goAway.getLastStreamId();
      }
      // Not written yet: a PING queued behind it completes once the GOAWAY is on the wire.
      try {
        executor.execute(() -> session.ping(new PingFrame(false), Callback.from(this::onGoAwayWritten)));
      } catch (RejectedExecutionException e) {
        // the bench is stopping
      }
    }
  }

  /** Decides the fate of a new stream; counts the delivery or the refusal. */
  synchronized Admission admit(int stream, String id, BenchProtocol.Kind kind) {
    if (excluded(stream)) {
      if (!refusedEarly.remove(stream)) {
        log.refused(id);
        log.note(id, where(stream) + " refused (above the GOAWAY)");
      }
      return Admission.EXCLUDED;
    }
    switch (kind) {
      case REFUSE -> {
        log.refused(id);
        return Admission.REFUSED;
      }
      case GOAWAY -> {
        log.refused(id);
        goAway(Math.max(0, stream - 2));
        return Admission.EXCLUDED;
      }
      default -> {
        log.delivered(id);
        log.note(id, where(stream) + " delivered");
        inFlight.add(stream);
        if (kind == BenchProtocol.Kind.GOAWAY_KEEP) {
          goAway(stream);
        }
        return Admission.DELIVERED;
      }
    }
  }

  /** GOAWAY with last-stream-id = highest request stream seen + delta (delta >= 0). */
  synchronized int goAwayAfterSeen(int delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("delta < 0 would declare delivered streams unprocessed");
    }
    int last = (int) Math.min((long) highestSeen + delta, Integer.MAX_VALUE - 1L);
    goAway(last);
    return last;
  }

  /** Graceful GOAWAY (2^31-1); Jetty sends the final one when its streams are done. */
  void goAwayGraceful() {
    session.goAway(GoAwayFrame.GRACEFUL, Callback.NOOP);
  }

  /** A delivered stream finished (answered, reset or failed); idempotent. */
  void done(int stream) {
    synchronized (this) {
      if (!inFlight.remove(stream)) {
        return;
      }
    }
    closeIfDrained();
  }

  // With the lock held: session, stream and the session's GOAWAY state, for DeliveryLog.note.
  private String where(int stream) {
    return "session@" + Integer.toHexString(System.identityHashCode(session)) + " stream " + stream
        + " highestSeen " + highestSeen + " goAwayLast " + goAwayLast;
  }

  private boolean excluded(int stream) {
    return goAwayLast >= 0 && stream > goAwayLast;
  }

  // Called with the lock held, so no HEADERS can be judged between choosing and Jetty's state change.
  private void goAway(int last) {
    if (goAwayLast >= 0 && last >= goAwayLast) {
      return; // RFC 9113 6.8: last-stream-id never grows
    }
    goAwayLast = last;
    GoAwayFrame frame = new GoAwayFrame(last, ErrorCode.NO_ERROR.code, GOAWAY_DEBUG);
    session.goAway(frame, Callback.from(this::onGoAwayWritten));
  }

  private void onGoAwayWritten() {
    synchronized (this) {
      goAwayWritten = true;
    }
    closeIfDrained();
  }

  private void closeIfDrained() {
    synchronized (this) {
      if (!goAwayWritten || closing || !inFlight.headSet(goAwayLast, true).isEmpty()) {
        return;
      }
      closing = true;
    }
    // FIN; Jetty closes fully when the client closes its side (or on idle timeout).
    session.getEndPoint().shutdownOutput();
  }
}
