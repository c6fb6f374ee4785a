package dev.h2fix.instrumentation.jetty;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixConfig;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.RerouteBudget;
import dev.h2fix.runtime.Stats;
import java.util.Map;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpChannel;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpDestination;
import org.eclipse.jetty.client.transport.HttpExchange;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.RetryableStreamException;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Promise;

/**
 * Helper injected into the class loader of Jetty's HttpClient HTTP/2 transport: replays, once, a
 * request whose stream the server refused with a GOAWAY whose last-stream-id is below it (RFC 9113
 * §6.8: such a stream was not processed; Jetty fails it with {@code RetryableRequestException} and
 * hands that to the application), or with RST_STREAM(REFUSED_STREAM) (§8.7; Jetty fails it with
 * {@code IOException("refused_stream_error")}; that replay goes on a new connection of its own).
 * Also re-sends a request whose stream was never created ({@link #onStreamNotCreated}).
 *
 * <p>How, with public Jetty API only, the way Jetty's own redirector sends a follow-up request in the
 * same conversation: this listener takes the place of the conversation's response listeners while
 * the refused exchange fails; when that exchange is complete, if the body can be replayed
 * ({@code Content.Source.rewind()}, what Jetty itself uses), a copy of the request is sent in the same
 * conversation and the application's response listeners get the copy's events; otherwise the
 * application's listeners get the original failure, as stock. Never throws.
 *
 * <p>Caveats, as for redirects: request-level listeners of the original request see the refused
 * attempt's failure, and {@code Result.getRequest()} of the replay is the copy. The copy gets the
 * request's full timeout again.
 */
public final class GoAwayReplay implements Response.Listener {
  private final HttpRequest request;
  private final HttpConversation conversation;
  /** For a REFUSED_STREAM: the replay goes on a connection of its own, not the one that refused it. */
  private final HttpDestination ownConnectionAt;

  private GoAwayReplay(HttpRequest request, HttpConversation conversation, HttpDestination ownConnectionAt) {
    this.request = request;
    this.conversation = conversation;
    this.ownConnectionAt = ownConnectionAt;
  }

  /**
   * {@code HttpChannelOverHTTP2$Listener.onReset}: the server reset the stream of {@code channel}.
   * With {@code REFUSED_STREAM} (RFC 9113 §8.7: closed before any processing) and no response begun,
   * take over the exchange's response events; the request is replayed once, on a new connection (the
   * refusing one may go on refusing), when its body can be replayed.
   */
  public static void onStreamReset(Object channel, Object frame) {
    try {
      if (!(frame instanceof ResetFrame) || ((ResetFrame) frame).getError() != ErrorCode.REFUSED_STREAM_ERROR.code
          || !(channel instanceof HttpChannel)) {
        return;
      }
      HttpExchange exchange = ((HttpChannel) channel).getHttpExchange();
      if (exchange == null || exchange.getResponse().getStatus() > 0) {
        return; // nothing to replay, or a response already begun: stock
      }
      takeOver(exchange, 1, exchange.getHttpDestination());
    } catch (Throwable t) {
      JettyConnections.failed(t);
    }
  }

  /** Swaps in the replaying listener once per conversation, within {@code budget}; stock otherwise. */
  private static void takeOver(HttpExchange exchange, int budget, HttpDestination ownConnectionAt) {
    H2FixConfig config = H2FixRuntime.config();
    if (!config.isEnabled(Client.JETTY) || !config.rerouteRefusedStreams()) {
      return;
    }
    HttpRequest request = exchange.getRequest();
    HttpConversation conversation = request.getConversation();
    if (conversation.getExchanges().size() != 1 || request.getAbortCause() != null) {
      return; // a redirect or authentication under way, or aborted by the application: stock
    }
    if (!RerouteBudget.tryAcquire(conversation, budget)) {
      return; // already replayed once: RFC 9113 §8.7, fail as stock
    }
    conversation.updateResponseListeners(new GoAwayReplay(request, conversation, ownConnectionAt));
  }

  /**
   * {@code HttpChannelOverHTTP2$Listener.onFailure}: the stream of {@code channel} fails with
   * {@code failure}; for a GOAWAY-refused stream, take over the exchange's response events.
   */
  public static void onStreamFailure(Object channel, Throwable failure) {
    try {
      if (!(failure instanceof RetryableStreamException) || !(channel instanceof HttpChannel)) {
        return;
      }
      HttpExchange exchange = ((HttpChannel) channel).getHttpExchange();
      if (exchange != null) {
        takeOver(exchange, 1, null); // the GOAWAY took the connection out of the pool already
      }
    } catch (Throwable t) {
      JettyConnections.failed(t);
    }
  }

  /**
   * {@code HttpSenderOverHTTP2$HeadersPromise.failed(Throwable)}: the stream of {@code request} could
   * not be opened. {@code IllegalStateException("session closed")} comes only from
   * {@code HTTP2Session$StreamsState.reserveSlot}, before a stream id was assigned or a byte written:
   * the session closed (GOAWAY, local close) between the pool handing out the connection and the
   * stream being opened. Such a request is sent again, within {@code reroute.maxAttempts}, the way a
   * GOAWAY-refused one is.
   */
  public static void onStreamNotCreated(Object request, Throwable failure) {
    try {
      if (!(failure instanceof IllegalStateException) || !"session closed".equals(failure.getMessage())
          || !(request instanceof HttpRequest)) {
        return;
      }
      H2FixConfig config = H2FixRuntime.config();
      if (!config.isEnabled(Client.JETTY)) {
        return;
      }
      HttpRequest httpRequest = (HttpRequest) request;
      HttpConversation conversation = httpRequest.getConversation();
      if (conversation.getExchanges().size() != 1 || httpRequest.getAbortCause() != null) {
        return;
      }
      if (!RerouteBudget.tryAcquire(conversation, config.rerouteMaxAttempts())) {
        return; // over the bound: fails as stock
      }
      conversation.updateResponseListeners(new GoAwayReplay(httpRequest, conversation, null));
    } catch (Throwable t) {
      JettyConnections.failed(t);
    }
  }

  @Override
  public void onComplete(Result result) {
    boolean replayed = false;
    try {
      Request.Content body = request.getBody();
      // After the failed attempt completed: the abort failed the content, rewind resets it.
      if (result.isFailed() && (body == null || body.rewind())) {
        HttpRequest copy = request.copy(request.getURI());
        // copy() drops Host, Expect, Cookie and authorization headers, and the attributes: same
        // destination, same request, so put them back.
        copy.headers(h -> h.clear().add(request.getHeaders()));
        for (Map.Entry<String, Object> e : request.getAttributes().entrySet()) {
          copy.attribute(e.getKey(), e.getValue());
        }
        Stats.increment(Client.JETTY, Event.REQUESTS_REROUTED);
        replayed = true;
        if (ownConnectionAt == null) {
          copy.send(null);
        } else {
          ownConnectionAt.newConnection(new OwnConnection(copy, this, result));
        }
        return;
      }
      Stats.increment(Client.JETTY, Event.REPLAYS_DECLINED_UNSAFE);
    } catch (Throwable t) {
      JettyConnections.failed(t);
      if (replayed) {
        return; // the copy was handed to Jetty: its own failure reaches the application
      }
    }
    failAsStock(result);
  }

  /** The application's response listeners get the refused attempt's failure, as stock. */
  void failAsStock(Result result) {
    try {
      conversation.updateResponseListeners(null);
      conversation.getResponseListeners().emitFailureComplete(result);
    } catch (Throwable t) {
      JettyConnections.failed(t);
    }
  }

  /**
   * The replay of a refused stream, on a connection opened for it outside the pool (Jetty's public
   * {@code Destination.newConnection} / {@code Connection.send}, as documented for explicit
   * connections) and closed once the replay completed. If no connection can be opened, the
   * application gets the refusal, as stock.
   */
  static final class OwnConnection implements Promise<Connection>, Response.CompleteListener {
    private final HttpRequest copy;
    private final GoAwayReplay replay;
    private final Result refused;
    private volatile Connection connection;

    OwnConnection(HttpRequest copy, GoAwayReplay replay, Result refused) {
      this.copy = copy;
      this.replay = replay;
      this.refused = refused;
    }

    @Override
    public void succeeded(Connection connection) {
      this.connection = connection;
      try {
        connection.send(copy, this);
      } catch (Throwable t) {
        JettyConnections.failed(t);
      }
    }

    @Override
    public void failed(Throwable x) {
      replay.failAsStock(refused);
    }

    @Override
    public void onComplete(Result result) {
      Connection c = connection;
      if (c != null) {
        try {
          c.close();
        } catch (Throwable t) {
          JettyConnections.failed(t);
        }
      }
    }
  }
}
