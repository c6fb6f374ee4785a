package dev.h2fix.instrumentation.jdk;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.h2fix.runtime.Client;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.LibraryShape;
import dev.h2fix.tooling.Patch;
import dev.h2fix.tooling.Variant;
import java.util.List;
import java.util.Set;

/**
 * The JDK's {@code java.net.http.HttpClient} over HTTP/2, Java 17 and 25 shapes. Its classes are in
 * module {@code java.net.http}, package {@code jdk.internal.net.http} (not exported), loaded by the
 * platform loader: the advice names library types only as strings and calls only the runtime in the
 * bootstrap loader ({@link dev.h2fix.runtime.JdkSessions}, {@link dev.h2fix.runtime.JdkReroutes}), which {@code java.net.http} is made to
 * read ({@link #namedModule()}). No helper is injected into the platform loader.
 */
public final class JdkModule implements ClientModule {
  private static final String CONNECTION = Http2ConnectionInstrumentation.TYPE;
  private static final String MULTI_EXCHANGE = MultiExchangeInstrumentation.TYPE;
  private static final String PKG = "jdk.internal.net.http.";
  private static final String STREAM = StreamInstrumentation.TYPE;
  private static final String EXCHANGE_IMPL = PKG + "ExchangeImpl";
  private static final String OUTGOING_HEADERS = PKG + "frame.OutgoingHeaders";
  private static final String GOAWAY_FRAME = PKG + "frame.GoAwayFrame";
  private static final String THROWABLE = "java.lang.Throwable";
  private static final String HTTP_CONNECTION = PKG + "HttpConnection";

  @Override
  public Client client() {
    return Client.JDK;
  }

  @Override
  public String detectionType() {
    return CONNECTION;
  }

  @Override
  public String namedModule() {
    return "java.net.http";
  }

  /** Constants only: read at premain, where building the patches would start Byte Buddy. */
  @Override
  public Set<String> targetTypes() {
    return Set.of(CONNECTION, MULTI_EXCHANGE, STREAM);
  }

  @Override
  public List<Variant> variants() {
    return List.of(new Variant("25", shape25(), patches25()), new Variant("17", shape17(), patches17()));
  }

  /** 25: graceful GOAWAY, closedState bits, the client's own "unprocessed by peer" retry. */
  private static LibraryShape shape25() {
    return commonShape()
        .field(CONNECTION, "closedState")
        .field(CONNECTION, "lastProcessedStreamInGoAway")
        .field(CONNECTION, "streams")
        .method(CONNECTION, "tryReserveForPoolCheckout")
        .method(EXCHANGE_IMPL, "markUnprocessedByPeer")
        .method(EXCHANGE_IMPL, "isUnprocessedByPeer")
        .method(MULTI_EXCHANGE, "getExceptionalCF", THROWABLE, EXCHANGE_IMPL);
  }

  /** 17 (17.0.15): GOAWAY shuts the whole connection down, a boolean {@code closed}, no unprocessed retry. */
  private static LibraryShape shape17() {
    return commonShape()
        .field(CONNECTION, "closed")
        .noField(CONNECTION, "closedState")
        .noField(CONNECTION, "lastProcessedStreamInGoAway")
        .noField(EXCHANGE_IMPL, "unprocessedByPeer")
        .method(GOAWAY_FRAME, "getLastStream")
        // Graceful GOAWAY (JdkGoAways): the final-stream mark, set under the send lock, the pool,
        // the streams, stock's close of a final connection when its last stream goes.
        .field(CONNECTION, "finalStream")
        .field(CONNECTION, "sendlock")
        .field(CONNECTION, "client2")
        .field(CONNECTION, "streams")
        .method(CONNECTION, "setFinalStream")
        .method(CONNECTION, "closeStream", "int")
        .method(CONNECTION, "close")
        .method(PKG + "Http2ClientImpl", "deleteConnection", CONNECTION)
        .method(HTTP_CONNECTION, "channel")
        // A pooled connection whose socket already read the peer's close is not reserved.
        .method(CONNECTION, "reserveStream", "boolean", "boolean")
        .field(CONNECTION, "lastReservedClientStreamid")
        .method(STREAM, "cancelImpl", THROWABLE)
        .method(STREAM, "connectionClosing", THROWABLE)
        .method(MULTI_EXCHANGE, "getExceptionalCF", THROWABLE)
        .field(MULTI_EXCHANGE, "cancelled")
        .field(MULTI_EXCHANGE, "interrupted")
        .field(MULTI_EXCHANGE, "connectTimeout")
        .field(MULTI_EXCHANGE, "currentreq")
        .field(MULTI_EXCHANGE, "previousreq")
        .field(MULTI_EXCHANGE, "exchange")
        .field(PKG + "Exchange", "exchImpl")
        .field(STREAM, "streamid")
        .method(MULTI_EXCHANGE + "$ConnectTimeoutTracker", "reset")
        // REFUSED_STREAM replay (StreamInstrumentation): the reset handler, its close mark, the code.
        .method(STREAM, "handleReset", PKG + "frame.ResetFrame", "java.util.concurrent.Flow$Subscriber")
        .field(STREAM, "closed")
        .method(PKG + "frame.ErrorFrame", "getErrorCode");
  }

  private static LibraryShape commonShape() {
    return LibraryShape.builder()
        .method(CONNECTION, "shutdown", THROWABLE)
        .method(CONNECTION, "handleGoAway", GOAWAY_FRAME)
        .method(CONNECTION, "registerNewStream", OUTGOING_HEADERS)
        .field(CONNECTION, "key")
        .field(CONNECTION, "cause")
        .method(OUTGOING_HEADERS, "getAttachment")
        // The socket under the connection has read the peer's close (JdkPeerClose).
        .field(CONNECTION, "connection")
        .method(HTTP_CONNECTION, "getConnectionFlow")
        .field(PKG + "common.SSLTube", "tube")
        .method(PKG + "common.FlowTube", "isFinished");
  }

  private static List<Patch> patches25() {
    return List.of(
        Patch.of(CONNECTION, named("shutdown").and(takesArguments(1)), Http2ConnectionInstrumentation.ShutdownAdvice25.class),
        Patch.of(CONNECTION, named("handleGoAway").and(takesArguments(1)), Http2ConnectionInstrumentation.GoAwayAdvice.class),
        Patch.of(
            CONNECTION,
            named("registerNewStream").and(takesArguments(1)),
            Http2ConnectionInstrumentation.RegisterNewStreamAdvice25.class),
        Patch.of(
            CONNECTION,
            named("tryReserveForPoolCheckout").and(takesArguments(0)),
            Http2ConnectionInstrumentation.PoolCheckoutAdvice25.class));
  }

  private static List<Patch> patches17() {
    return List.of(
        Patch.of(CONNECTION, named("shutdown").and(takesArguments(1)), Http2ConnectionInstrumentation.ShutdownAdvice.class),
        Patch.of(
            CONNECTION, named("handleGoAway").and(takesArguments(1)), Http2ConnectionInstrumentation.GoAwayAdvice17.class),
        Patch.of(
            CONNECTION,
            named("registerNewStream").and(takesArguments(1)),
            Http2ConnectionInstrumentation.RegisterNewStreamAdvice17.class),
        Patch.of(
            CONNECTION,
            named("reserveStream").and(takesArguments(2)),
            Http2ConnectionInstrumentation.ReserveStreamAdvice17.class),
        Patch.of(
            MULTI_EXCHANGE,
            named("getExceptionalCF").and(takesArguments(1)),
            MultiExchangeInstrumentation.RetryAdvice.class),
        Patch.of(STREAM, named("handleReset").and(takesArguments(2)), StreamInstrumentation.RefusedResetAdvice17.class));
  }
}
