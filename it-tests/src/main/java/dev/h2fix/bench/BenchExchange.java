package dev.h2fix.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;

/**
 * One request on the bench server: admits it (delivery or refusal), reads its body, and carries
 * out its {@code x-h2fix-action}. Never blocks a Jetty thread: delays go through the scheduler.
 */
final class BenchExchange implements Stream.Listener {
  private final BenchServer bench;
  private final SessionState state;
  private final Stream stream;
  private final String id;
  private final BenchProtocol.Action action;
  private final int size;
  private final boolean answer; // false: read and drop the body, never respond
  private final AtomicBoolean bodyDone = new AtomicBoolean();
  private long received;

  private BenchExchange(BenchServer bench, SessionState state, Stream stream, String id,
              BenchProtocol.Action action, int size, boolean answer) {
    this.bench = bench;
    this.state = state;
    this.stream = stream;
    this.id = id;
    this.action = action;
    this.size = size;
    this.answer = answer;
  }

  /** Handles a new stream; returns its listener (or null when the stream is reset). */
  static Stream.Listener onNewStream(BenchServer bench, SessionState state, Stream stream, HeadersFrame frame) {
    HttpFields fields = frame.getMetaData().getHttpFields();
    String id = fields.get(BenchProtocol.ID);
    BenchProtocol.Action action;
    int size;
    try {
      action = BenchProtocol.Action.parse(fields.get(BenchProtocol.ACTION));
      String sizeText = fields.get(BenchProtocol.SIZE);
      size = sizeText == null ? BenchProtocol.DEFAULT_SIZE : Integer.parseInt(sizeText.trim());
      if (size < 0) {
        throw new IllegalArgumentException("negative size");
      }
    } catch (IllegalArgumentException e) {
      action = BenchProtocol.Action.OK;
      size = -1; // answered 400 below
    }

    if (id != null && action.kind() != BenchProtocol.Kind.OK && action.kind() != BenchProtocol.Kind.DELAY
        && bench.deliveries(id) + bench.refusals(id) > 0) {
      action = BenchProtocol.Action.OK; // a fault applies to an id's first attempt only: a replay can succeed
    }
    SessionState.Admission admission = state.admit(stream.getId(), id, action.kind());
    if (admission == SessionState.Admission.REFUSED) {
      stream.reset(new ResetFrame(stream.getId(), ErrorCode.REFUSED_STREAM_ERROR.code), Callback.NOOP);
      return null;
    }
    boolean answer = admission == SessionState.Admission.DELIVERED
        && action.kind() != BenchProtocol.Kind.FIN && action.kind() != BenchProtocol.Kind.RST
        && action.kind() != BenchProtocol.Kind.STALL && action.kind() != BenchProtocol.Kind.PROTOCOL_ERROR
        && action.kind() != BenchProtocol.Kind.GOAWAY_GRACEFUL_THEN_FIN;
    BenchExchange exchange = new BenchExchange(bench, state, stream, id, action, size, answer);
    if (admission == SessionState.Admission.DELIVERED && action.kind() == BenchProtocol.Kind.STALL) {
      bench.stallConnection(stream.getSession());
    } else if (admission == SessionState.Admission.DELIVERED && action.kind() == BenchProtocol.Kind.PROTOCOL_ERROR) {
      // Jetty's server does not check what it sends: a client must reject ENABLE_PUSH=1.
      stream.getSession().settings(
          new SettingsFrame(java.util.Map.of(SettingsFrame.ENABLE_PUSH, 1), false), Callback.NOOP);
    } else if (admission == SessionState.Admission.DELIVERED
        && action.kind() == BenchProtocol.Kind.GOAWAY_GRACEFUL_THEN_FIN) {
      org.eclipse.jetty.http2.api.Session session = stream.getSession();
      ((org.eclipse.jetty.http2.HTTP2Session) session).goAway(
          org.eclipse.jetty.http2.frames.GoAwayFrame.GRACEFUL, Callback.from(() -> bench.killConnection(session, Fault.FIN)));
    } else if (admission == SessionState.Admission.DELIVERED && !answer) {
      // fin / rst: delivered, now the connection dies before any answer.
      Fault how = action.kind() == BenchProtocol.Kind.FIN ? Fault.FIN : Fault.RST;
      bench.killConnection(stream.getSession(), how);
    }
    if (frame.isEndStream()) {
      exchange.onBodyComplete();
    } else {
      stream.demand();
    }
    return exchange;
  }

  @Override
  public void onDataAvailable(Stream s) {
    Stream.Data data = s.readData();
    if (data == null) {
      s.demand();
      return;
    }
    DataFrame frame = data.frame();
    received += frame.remaining();
    boolean last = frame.isEndStream();
    data.release();
    if (last) {
      onBodyComplete();
    } else {
      s.demand();
    }
  }

  @Override
  public void onHeaders(Stream s, HeadersFrame frame) {
    if (frame.isEndStream()) {
      onBodyComplete(); // request trailers end the body
    } else {
      s.demand();
    }
  }

  @Override
  public void onReset(Stream s, ResetFrame frame, Callback callback) {
    state.done(s.getId());
    callback.succeeded();
  }

  @Override
  public void onFailure(Stream s, int error, String reason, Throwable failure, Callback callback) {
    state.done(s.getId());
    callback.succeeded();
  }

  @Override
  public void onClosed(Stream s) {
    state.done(s.getId());
  }

  private void onBodyComplete() {
    if (!bodyDone.compareAndSet(false, true) || !answer) {
      return;
    }
    switch (action.kind()) {
      case HANG -> {
        // delivered, never answered
      }
      case DELAY -> {
        try {
          bench.scheduler().schedule(this::respond, action.delayMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          state.done(stream.getId()); // the bench is stopping
        }
      }
      default -> respond();
    }
  }

  private void respond() {
    int status = size < 0 ? 400 : 200;
    int length = Math.max(size, 0);
    HttpFields.Mutable fields = HttpFields.build()
        .put(HttpHeader.CONTENT_LENGTH, length)
        .put(BenchProtocol.RECEIVED, received)
        .put(BenchProtocol.STREAM, stream.getId())
        .put(BenchProtocol.PEER_PORT, BenchServer.remotePort(stream.getSession()));
    if (id != null) {
      fields.put(BenchProtocol.ID, id);
    }
    MetaData.Response response = new MetaData.Response(status, null, HttpVersion.HTTP_2, fields, length);
    boolean empty = length == 0;
    if (action.kind() == BenchProtocol.Kind.CUT_BODY && length > 1) {
      // Headers and half the body, then the connection dies: the stream never ends.
      Callback cut = Callback.from(() -> bench.killConnection(stream.getSession(), Fault.RST), this::failed);
      stream.headers(new HeadersFrame(stream.getId(), response, null, false), Callback.from(
          () -> stream.data(new DataFrame(stream.getId(), body(length / 2), false), cut), this::failed));
      return;
    }
    Callback afterHeaders = Callback.from(() -> {
      if (empty) {
        responded();
      } else {
        stream.data(new DataFrame(stream.getId(), body(length), true), Callback.from(this::responded, this::failed));
      }
    }, this::failed);
    stream.headers(new HeadersFrame(stream.getId(), response, null, empty), afterHeaders);
  }

  private void responded() {
    state.done(stream.getId());
    switch (action.kind()) {
      case FIN_AFTER_RESPONSE -> bench.killConnection(stream.getSession(), Fault.FIN);
      case RST_AFTER_RESPONSE -> bench.killConnection(stream.getSession(), Fault.RST);
      default -> {
        // connection stays
      }
    }
  }

  private void failed(Throwable failure) {
    state.done(stream.getId());
  }

  /** A body of a known pattern: byte i is 'a' + i % 26, so a client can check what it got. */
  static ByteBuffer body(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return ByteBuffer.wrap(bytes);
  }
}
