package dev.h2fix.instrumentation.jetty;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.h2fix.runtime.Client;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.LibraryShape;
import dev.h2fix.tooling.Patch;
import dev.h2fix.tooling.Variant;
import java.util.List;
import java.util.Set;

/**
 * Jetty 12.0 and 12.1 HTTP/2 clients: the low-level {@code HTTP2Client} and {@code HttpClient} over
 * HTTP/2. {@code HTTP2Session} is shared with Jetty's server: patches act on client sessions only.
 * 12.0.36 and 12.1.14 have the same names and descriptors for everything patched or called here
 * (docs/research/jetty-internals.md), so one shape covers both.
 *
 * <table>
 *   <caption>Patches</caption>
 *   <tr><td>HTTP2Session.notifyFailure</td><td>invalidate (listeners) before onFailure</td></tr>
 *   <tr><td>HTTP2Session.notifyGoAway</td><td>invalidate, remember the GOAWAY frame</td></tr>
 *   <tr><td>HTTP2Session.failStreams</td><td>early onClose when no stream survives (low-level listeners; HttpClient's is left as stock)</td></tr>
 *   <tr><td>HTTP2Session.notifyClose</td><td>no second onClose; chain Jetty's callback</td></tr>
 *   <tr><td>HTTP2Session constructors</td><td>remember the listener (weakly)</td></tr>
 *   <tr><td>HTTP2Session$Entry.closeAndFail</td><td>early onClose when a write failure races</td></tr>
 *   <tr><td>HTTP2Session$StreamsState teardown steps</td><td>mark the step under way (onShutdown, onWriteFailure, onGoAway, onSessionFailure, onIdleTimeout, halt)</td></tr>
 *   <tr><td>HTTP2Session$StreamsState.reserveSlot</td><td>a newStream refused by a closing session fails after the step's listener calls</td></tr>
 *   <tr><td>HTTP2Flusher.onFailure / onCompleteFailure</td><td>mark a write failure under way before the flusher refuses new frames (its HEADERS entry failed before the session switched)</td></tr>
 *   <tr><td>HttpConnectionOverHTTP2.onFailure</td><td>leave the pool before aborts</td></tr>
 *   <tr><td>HTTPSessionListenerPromise.onClose</td><td>leave the pool before aborts (12.0 close)</td></tr>
 *   <tr><td>HttpConnectionOverHTTP2.send</td><td>re-queue when the session is already closed</td></tr>
 *   <tr><td>HttpChannelOverHTTP2$Listener.onFailure</td><td>replay once a GOAWAY-refused request</td></tr>
 *   <tr><td>HttpChannelOverHTTP2$Listener.onReset</td><td>replay once a REFUSED_STREAM request, on a new connection</td></tr>
 *   <tr><td>HttpSenderOverHTTP2$HeadersPromise.failed</td><td>re-send a request whose stream was refused "session closed"</td></tr>
 * </table>
 */
public final class JettyModule implements ClientModule {
  /**
   * Helpers are named, never referenced as classes: some implement Jetty interfaces, and loading
   * them here, at start-up and in the agent's class loader, would need Jetty on that class path.
   */
  private static final String HELPERS = "dev.h2fix.instrumentation.jetty.";
  static final String HTTP2_SESSION = SessionInstrumentation.TYPE;
  private static final String ENTRY = HTTP2_SESSION + "$Entry";
  private static final String STREAMS_STATE = StreamsStateInstrumentation.TYPE;
  private static final String FLUSHER = StreamsStateInstrumentation.FLUSHER;
  private static final String CONNECTION = HttpClientInstrumentation.CONNECTION;
  private static final String SESSION_LISTENER = HttpClientInstrumentation.SESSION_LISTENER;
  private static final String STREAM_LISTENER = HttpClientInstrumentation.STREAM_LISTENER;
  private static final String HEADERS_PROMISE = HttpClientInstrumentation.HEADERS_PROMISE;
  private static final String SESSION = "org.eclipse.jetty.http2.api.Session";
  private static final String GOAWAY = "org.eclipse.jetty.http2.frames.GoAwayFrame";
  private static final String CALLBACK = "org.eclipse.jetty.util.Callback";
  private static final String THROWABLE = "java.lang.Throwable";
  private static final String EXCHANGE = "org.eclipse.jetty.client.transport.HttpExchange";

  @Override
  public Client client() {
    return Client.JETTY;
  }

  @Override
  public String detectionType() {
    return HTTP2_SESSION;
  }

  /** Constants only: read at premain, where building the patches would start Byte Buddy. */
  @Override
  public Set<String> targetTypes() {
    return Set.of(HTTP2_SESSION, ENTRY, STREAMS_STATE, FLUSHER, CONNECTION, SESSION_LISTENER, STREAM_LISTENER, HEADERS_PROMISE);
  }

  @Override
  public List<Variant> variants() {
    // Without HttpClient's HTTP/2 transport on the class path (low-level HTTP2Client only), the
    // session patches alone.
    return List.of(
        new Variant("12.x", httpClientShape(sessionShape()), concat(sessionPatches(), httpClientPatches())),
        new Variant("12.x (HTTP2Client only)", sessionShape(), sessionPatches()));
  }

  private static List<Patch> concat(List<Patch> a, List<Patch> b) {
    List<Patch> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static List<Patch> sessionPatches() {
    String[] sessionHelpers = {
      HELPERS + "JettySessions", HELPERS + "EarlyClose", HELPERS + "SessionRegistry",
      HELPERS + "SessionRegistry$Key", HELPERS + "EarlyClose$Outcome",
      HELPERS + "JettySessions$1", HELPERS + "JettySessions$2", HELPERS + "Teardown", HELPERS + "RefusedStream",
      HELPERS + "LateLocalStream"
    };
    return List.of(
        Patch.of(
                HTTP2_SESSION,
                named("notifyFailure").and(takesArguments(3)),
                SessionInstrumentation.NotifyFailureAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                HTTP2_SESSION,
                named("notifyGoAway").and(takesArguments(2)),
                SessionInstrumentation.NotifyGoAwayAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                HTTP2_SESSION,
                named("failStreams").and(takesArguments(6)),
                SessionInstrumentation.FailStreamsAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                HTTP2_SESSION,
                named("notifyClose").and(takesArguments(3)),
                SessionInstrumentation.NotifyCloseAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(HTTP2_SESSION, isConstructor(), SessionInstrumentation.ConstructorAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                HTTP2_SESSION,
                named("createLocalStream").and(takesArguments(3)).and(takesArgument(0, int.class)),
                SessionInstrumentation.CreateLocalStreamAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                ENTRY,
                named("closeAndFail").and(takesArguments(1)),
                SessionInstrumentation.EntryCloseAndFailAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                STREAMS_STATE,
                named("onShutdown").and(takesArguments(0))
                    .or(named("onIdleTimeout").and(takesArguments(0)))
                    .or(named("onWriteFailure").and(takesArguments(1)))
                    .or(named("onGoAway").and(takesArguments(1)))
                    .or(named("onSessionFailure").and(takesArguments(3)))
                    .or(named("halt").and(takesArguments(3))),
                StreamsStateInstrumentation.TeardownStepAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                STREAMS_STATE,
                named("reserveSlot").and(takesArguments(3)),
                StreamsStateInstrumentation.ReserveSlotAdvice.class)
            .withHelpers(sessionHelpers),
        Patch.of(
                FLUSHER,
                // 12.1 fails the flusher in onFailure, 12.0 in onCompleteFailure (12.1's only releases a buffer).
                named("onFailure").or(named("onCompleteFailure"))
                    .and(takesArguments(1)).and(takesArgument(0, named(THROWABLE))),
                StreamsStateInstrumentation.FlusherFailureAdvice.class)
            .withHelpers(sessionHelpers));
  }

  private static List<Patch> httpClientPatches() {
    String[] clientHelpers = {HELPERS + "JettyConnections", HELPERS + "GoAwayReplay", HELPERS + "GoAwayReplay$OwnConnection"};
    return List.of(
        Patch.of(
                CONNECTION,
                named("onFailure").and(takesArguments(2)),
                HttpClientInstrumentation.OnFailureAdvice.class)
            .withHelpers(clientHelpers),
        Patch.of(
                SESSION_LISTENER,
                named("onClose").and(takesArguments(3)).and(takesArgument(0, named(SESSION))),
                HttpClientInstrumentation.OnCloseAdvice.class)
            .withHelpers(clientHelpers),
        Patch.of(
                CONNECTION,
                named("send").and(takesArguments(1)).and(takesArgument(0, named(EXCHANGE))),
                HttpClientInstrumentation.SendAdvice.class)
            .withHelpers(clientHelpers),
        Patch.of(
                STREAM_LISTENER,
                named("onFailure").and(takesArguments(5)),
                HttpClientInstrumentation.StreamFailureAdvice.class)
            .withHelpers(clientHelpers),
        Patch.of(
                STREAM_LISTENER,
                named("onReset").and(takesArguments(3)),
                HttpClientInstrumentation.StreamResetAdvice.class)
            .withHelpers(clientHelpers),
        Patch.of(
                HEADERS_PROMISE,
                named("failed").and(takesArguments(1)),
                HttpClientInstrumentation.StreamNotCreatedAdvice.class)
            .withHelpers(clientHelpers));
  }

  /** What both 12.0.36 and 12.1.14 have and the session advice and helpers rely on. */
  private static LibraryShape sessionShape() {
    return LibraryShape.builder()
        .method(HTTP2_SESSION, "notifyFailure", SESSION, THROWABLE, CALLBACK)
        .method(HTTP2_SESSION, "notifyGoAway", SESSION, GOAWAY)
        .method(HTTP2_SESSION, "notifyClose", SESSION, GOAWAY, CALLBACK)
        .method(
            HTTP2_SESSION,
            "failStreams",
            "java.util.function.Predicate",
            "int",
            "java.lang.String",
            THROWABLE,
            "boolean",
            CALLBACK)
        .method(HTTP2_SESSION, "createLocalStream", "int", "org.eclipse.jetty.http.MetaData$Request", "java.util.function.Consumer")
        .method(HTTP2_SESSION, "getStreams")
        .method(HTTP2_SESSION, "getCloseState")
        .method(ENTRY, "closeAndFail", THROWABLE)
        .field(ENTRY, "stream")
        .field(ENTRY, "frame")
        .method(FLUSHER, "onCompleteFailure", THROWABLE)
        .field(FLUSHER, "session")
        .method("org.eclipse.jetty.http2.frames.HeadersFrame", "getMetaData")
        .method("org.eclipse.jetty.http.MetaData", "isRequest")
        .method(STREAMS_STATE, "onShutdown")
        .method(STREAMS_STATE, "onIdleTimeout")
        .method(STREAMS_STATE, "onWriteFailure", THROWABLE)
        .method(STREAMS_STATE, "onGoAway", GOAWAY)
        .method(STREAMS_STATE, "onSessionFailure", "int", "java.lang.String", CALLBACK)
        .method(STREAMS_STATE, "halt", "int", "java.lang.String", THROWABLE)
        .method(STREAMS_STATE, "reserveSlot", STREAMS_STATE + "$Slot", "int", "java.util.function.Consumer")
        .field(STREAMS_STATE, "this$0")
        .field(HTTP2_SESSION, "listener")
        .field(HTTP2_SESSION, "lastRemoteStreamId")
        .type("org.eclipse.jetty.http2.RetryableStreamException");
  }

  /** ... plus what the HttpClient advice and helpers rely on. */
  private static LibraryShape httpClientShape(LibraryShape shape) {
    return shape
        .method(CONNECTION, "onFailure", THROWABLE, CALLBACK)
        .method(CONNECTION, "send", EXCHANGE)
        .method(CONNECTION, "getSession")
        .method(CONNECTION, "isClosed")
        .method(SESSION_LISTENER, "onClose", SESSION, GOAWAY, CALLBACK)
        .field(SESSION_LISTENER, "connection")
        .method(STREAM_LISTENER, "onFailure", "org.eclipse.jetty.http2.api.Stream", "int", "java.lang.String", THROWABLE, CALLBACK)
        .field(STREAM_LISTENER, "this$0")
        .method(STREAM_LISTENER, "onReset", "org.eclipse.jetty.http2.api.Stream", "org.eclipse.jetty.http2.frames.ResetFrame", CALLBACK)
        .method("org.eclipse.jetty.client.Destination", "newConnection", "org.eclipse.jetty.util.Promise")
        .method("org.eclipse.jetty.client.Connection", "send", "org.eclipse.jetty.client.Request", "org.eclipse.jetty.client.Response$CompleteListener")
        .method(HEADERS_PROMISE, "failed", THROWABLE)
        .field(HEADERS_PROMISE, "request")
        .method("org.eclipse.jetty.client.transport.HttpConversation", "updateResponseListeners", "org.eclipse.jetty.client.Response$Listener")
        .method("org.eclipse.jetty.client.transport.ResponseListeners", "emitFailureComplete", "org.eclipse.jetty.client.Result")
        .method("org.eclipse.jetty.client.transport.HttpRequest", "copy", "java.net.URI")
        .method("org.eclipse.jetty.client.transport.HttpDestination", "remove", "org.eclipse.jetty.client.Connection")
        .method("org.eclipse.jetty.client.transport.HttpDestination", "send", EXCHANGE);
  }
}
