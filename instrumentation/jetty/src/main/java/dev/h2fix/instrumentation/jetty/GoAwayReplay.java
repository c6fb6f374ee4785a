package dev.h2fix.instrumentation.jetty;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixConfig;
import dev.h2fix.runtime.H2FixRuntime;
import dev.h2fix.runtime.RerouteBudget;
import dev.h2fix.runtime.Stats;
import java.util.Map;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpChannel;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpExchange;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.http2.RetryableStreamException;

/**
 * Helper injected into the class loader of Jetty's HttpClient HTTP/2 transport: replays, once, a
 * request whose stream the server refused with a GOAWAY whose last-stream-id is below it (RFC 9113
 * §6.8: such a stream was not processed). Jetty fails it with {@code RetryableRequestException} and
 * hands that to the application.
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

  private GoAwayReplay(HttpRequest request, HttpConversation conversation) {
    this.request = request;
    this.conversation = conversation;
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
      H2FixConfig config = H2FixRuntime.config();
      if (!config.isEnabled(Client.JETTY) || !config.rerouteRefusedStreams()) {
        return;
      }
      HttpExchange exchange = ((HttpChannel) channel).getHttpExchange();
      if (exchange == null) {
        return;
      }
      HttpRequest request = exchange.getRequest();
      HttpConversation conversation = request.getConversation();
      if (conversation.getExchanges().size() != 1 || request.getAbortCause() != null) {
        return; // a redirect or authentication under way, or aborted by the application: stock
      }
      if (!RerouteBudget.tryAcquire(conversation, 1)) {
        return; // already replayed once: RFC 9113 §8.7, fail as stock
      }
      conversation.updateResponseListeners(new GoAwayReplay(request, conversation));
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
      conversation.updateResponseListeners(new GoAwayReplay(httpRequest, conversation));
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
        copy.send(null);
        return;
      }
      Stats.increment(Client.JETTY, Event.REPLAYS_DECLINED_UNSAFE);
    } catch (Throwable t) {
      JettyConnections.failed(t);
      if (replayed) {
        return; // the copy was handed to Jetty: its own failure reaches the application
      }
    }
    try {
      conversation.updateResponseListeners(null);
      conversation.getResponseListeners().emitFailureComplete(result);
    } catch (Throwable t) {
      JettyConnections.failed(t);
    }
  }
}
