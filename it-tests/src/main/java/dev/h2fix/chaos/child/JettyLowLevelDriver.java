package dev.h2fix.chaos.child;

import dev.h2fix.bench.BenchProtocol;
import dev.h2fix.bench.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * Jetty's low-level HTTP2Client (h2c) used the way an application uses it: one cached session,
 * dropped from the cache by the session listener ({@code onClose}, {@code onGoAway},
 * {@code onFailure}); a stream that could not be created (the session was already closed), or that
 * the server refused unprocessed (REFUSED_STREAM, above a GOAWAY's last-stream-id), is tried again
 * at once on the cached session, up to {@link #ATTEMPTS} attempts, as RFC 9113 §8.7 allows. Stock Jetty fails a dead session's streams before telling the session listener, so the
 * retry can pick the dead session again; with h2fix the listener runs first. Unsent: newStream()
 * refused the stream before creating it (after the retries), it was reset with REFUSED_STREAM, or it was above a GOAWAY's
 * last-stream-id ({@code RetryableStreamException}). POST bodies are always
 * the application's bytes, so "one-shot" is a plain POST here.
 */
final class JettyLowLevelDriver implements Driver {
  static final int ATTEMPTS = 3;
  private final HTTP2Client client;
  private final InetSocketAddress address;
  private final String authority;
  private final long timeoutMs;
  private final AtomicReference<CompletableFuture<Session>> cached = new AtomicReference<>();

  JettyLowLevelDriver(int port, long timeoutMs, SelfSignedCertificate cert) throws Exception {
    ClientConnector connector = new ClientConnector();
    client = new HTTP2Client(connector);
    client.setConnectTimeout(timeoutMs);
    client.start();
    address = new InetSocketAddress("127.0.0.1", port);
    authority = "127.0.0.1:" + port;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public boolean oneShotBodies() {
    return false;
  }

  @Override
  public String statsClient() {
    return "jetty";
  }

  /** The cached session, or a new one when the cache is empty or its connect failed. */
  private CompletableFuture<Session> session() {
    while (true) {
      CompletableFuture<Session> current = cached.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<Session> fresh = new CompletableFuture<>();
      if (cached.compareAndSet(current, fresh)) {
        client.connect(address, new Invalidating(fresh)).whenComplete((s, x) -> {
          if (x != null) {
            fresh.completeExceptionally(x);
          } else {
            fresh.complete(s);
          }
        });
        return fresh;
      }
    }
  }

  /** The session listener: forgets its session on every way it can end. */
  private final class Invalidating implements Session.Listener {
    private final CompletableFuture<Session> mine;

    Invalidating(CompletableFuture<Session> mine) {
      this.mine = mine;
    }

    private void forget() {
      cached.compareAndSet(mine, null);
    }

    @Override
    public void onGoAway(Session session, GoAwayFrame frame) {
      forget();
    }

    @Override
    public void onClose(Session session, GoAwayFrame frame, Callback callback) {
      forget();
      callback.succeeded();
    }

    @Override
    public void onFailure(Session session, Throwable failure, Callback callback) {
      forget();
      callback.succeeded();
    }
  }

  @Override
  public CompletableFuture<Outcome> send(ChildRequest request) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    attempt(request, 1, outcome);
    return outcome.completeOnTimeout(
        Outcome.failed(new java.util.concurrent.TimeoutException("request timeout"), false),
        timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void attempt(ChildRequest request, int attempt, CompletableFuture<Outcome> outcome) {
    session().whenComplete((session, connectFailure) -> {
      if (connectFailure != null) {
        outcome.complete(Outcome.failed(connectFailure, true)); // no connection: nothing was sent
        return;
      }
      boolean[] inNewStream = {true};
      // One retry per attempt: Jetty can report one stream's end twice, to the stream listener
      // (onFailure, RetryableStreamException above a GOAWAY's last-stream-id) and to the promise
      // (its HEADERS dropped unwritten, ClosedChannelException/EofException "dropped"); retrying on
      // both sent the id twice (the soak's duplicates, stock and h2fix alike).
      AtomicBoolean retried = new AtomicBoolean();
      Runnable retry = () -> {
        if (retried.compareAndSet(false, true)) {
          attempt(request, attempt + 1, outcome);
        }
      };
      session.newStream(headers(request), new Promise<Stream>() {
        @Override
        public void succeeded(Stream stream) {
          if (request.hasBody()) {
            stream.data(new DataFrame(stream.getId(), ByteBuffer.allocate(request.bodySize()), true), Callback.NOOP);
          }
        }

        @Override
        public void failed(Throwable x) {
          // Refused inside newStream() (session closed: no stream slot): never created, safe to try
          // again. A later failure (the HEADERS write failed) may have put bytes on the wire.
          boolean neverCreated = inNewStream[0];
          if (neverCreated && attempt < ATTEMPTS && !outcome.isDone()) {
            retry.run();
          } else {
            outcome.complete(Outcome.failed(x, neverCreated));
          }
        }
      }, new Response(request, outcome, attempt < ATTEMPTS ? retry : null));
      inNewStream[0] = false;
    });
  }

  private HeadersFrame headers(ChildRequest request) {
    HttpFields.Mutable fields = HttpFields.build();
    fields.put(BenchProtocol.ID, request.id());
    fields.put(BenchProtocol.SIZE, Integer.toString(request.responseSize()));
    if (request.action() != null) {
      fields.put(BenchProtocol.ACTION, request.action());
    }
    MetaData.Request meta = new MetaData.Request(request.hasBody() ? "POST" : "GET",
        HttpURI.from("http://" + authority + "/chaos"), HttpVersion.HTTP_2, fields);
    return new HeadersFrame(meta, null, !request.hasBody());
  }

  /** Reads the response: status, then the body to its end. */
  private static final class Response implements Stream.Listener {
    private final ChildRequest request;
    private final CompletableFuture<Outcome> outcome;
    private final Runnable retry; // null: no attempt left
    private volatile int status;
    private long received;

    Response(ChildRequest request, CompletableFuture<Outcome> outcome, Runnable retry) {
      this.request = request;
      this.outcome = outcome;
      this.retry = retry;
    }

    /** A refused stream was not processed: try again while attempts are left, else fail as never sent. */
    private void refused(Throwable failure) {
      if (retry != null && !outcome.isDone()) {
        retry.run();
      } else {
        outcome.complete(Outcome.failed(failure, true));
      }
    }

    @Override
    public void onHeaders(Stream stream, HeadersFrame frame) {
      if (frame.getMetaData() instanceof MetaData.Response response) {
        status = response.getStatus();
      }
      if (frame.isEndStream()) {
        finish();
      } else {
        stream.demand();
      }
    }

    @Override
    public void onDataAvailable(Stream stream) {
      Stream.Data data = stream.readData();
      if (data == null) {
        stream.demand();
        return;
      }
      received += data.frame().remaining();
      boolean last = data.frame().isEndStream();
      data.release();
      if (last) {
        finish();
      } else {
        stream.demand();
      }
    }

    private void finish() {
      outcome.complete(status == 200 && received == request.responseSize()
          ? Outcome.success() : Outcome.failed(new IOException("status " + status + ", " + received + " bytes"), false));
    }

    @Override
    public void onReset(Stream stream, ResetFrame frame, Callback callback) {
      IOException failure = new IOException("reset " + ErrorCode.toString(frame.getError(), "?"));
      if (frame.getError() == ErrorCode.REFUSED_STREAM_ERROR.code) {
        refused(failure);
      } else {
        outcome.complete(Outcome.failed(failure, false));
      }
      callback.succeeded();
    }

    @Override
    public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
      boolean refused = error == ErrorCode.REFUSED_STREAM_ERROR.code
          || Failures.hasCause(failure, "org.eclipse.jetty.http2.RetryableStreamException"); // above a GOAWAY's last-stream-id
      Throwable cause = failure != null ? failure : new IOException("stream failure " + error);
      if (refused) {
        refused(cause);
      } else {
        outcome.complete(Outcome.failed(cause, false));
      }
      callback.succeeded();
    }

    /**
     * Jetty calls this before onFailure / onReset of the same stream (HTTP2Stream closes, then
     * notifies), and inside readData() before it returns the last data: those decide the outcome.
     * Only a stream closed with neither fails here, a second later.
     */
    @Override
    public void onClosed(Stream stream) {
      CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> outcome.complete(
          Outcome.failed(new IOException("stream closed without a response or a failure"), false)));
    }
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
