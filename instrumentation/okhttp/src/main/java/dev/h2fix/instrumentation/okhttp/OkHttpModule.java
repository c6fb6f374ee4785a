package dev.h2fix.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.h2fix.runtime.Client;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.LibraryShape;
import dev.h2fix.tooling.Patch;
import dev.h2fix.tooling.Variant;
import java.util.List;
import java.util.Set;

/**
 * OkHttp 5.x and 4.12: invalidation before stream failure on every teardown path, and reroute of
 * requests that never reached the server. Internal Kotlin members compile to {@code name$okhttp}.
 * The three known shapes differ only in {@code recover}'s parameters and in what the pool offers;
 * the helpers find out the latter once per class loader.
 */
public final class OkHttpModule implements ClientModule {
  private static final String HTTP2_CONNECTION = Http2ConnectionInstrumentation.TYPE;
  private static final String READER = ReaderRunnableInstrumentation.TYPE;
  private static final String RETRY = RetryInstrumentation.TYPE;
  private static final String REAL_CONNECTION = "okhttp3.internal.connection.RealConnection";
  private static final String POOL = "okhttp3.internal.connection.RealConnectionPool";
  private static final String REAL_CALL = "okhttp3.internal.connection.RealCall";
  private static final String ERROR_CODE = "okhttp3.internal.http2.ErrorCode";
  private static final String REQUEST = "okhttp3.Request";
  private static final String IO_EXCEPTION = "java.io.IOException";

  @Override
  public Client client() {
    return Client.OKHTTP;
  }

  @Override
  public String detectionType() {
    return HTTP2_CONNECTION;
  }

  /** Constants only: read at premain, where building the patches would start Byte Buddy. */
  @Override
  public Set<String> targetTypes() {
    return Set.of(HTTP2_CONNECTION, READER, REAL_CONNECTION, RETRY);
  }

  @Override
  public List<Variant> variants() {
    return List.of(
        new Variant(
            "5.x",
            okhttp5Shape().method(RETRY, "recover", IO_EXCEPTION, REAL_CALL, "okhttp3.Interceptor$Chain", REQUEST),
            patches()),
        new Variant("5.0", okhttp5Shape().method(RETRY, "recover", IO_EXCEPTION, REAL_CALL, REQUEST), patches()),
        new Variant(
            "4.12",
            commonShape()
                .method(REAL_CONNECTION, "trackFailure$okhttp", REAL_CALL, IO_EXCEPTION)
                .method(RETRY, "recover", IO_EXCEPTION, REAL_CALL, REQUEST, "boolean"),
            patches()));
  }

  /** 5.x: a ConnectionListener, a pool closer task, public trackFailure. */
  private static LibraryShape okhttp5Shape() {
    return commonShape()
        .method(POOL, "scheduleCloser")
        .method(REAL_CONNECTION, "setIdleAtNs", "long")
        .method(REAL_CONNECTION, "getConnectionListener$okhttp")
        .method(REAL_CONNECTION, "trackFailure", REAL_CALL, IO_EXCEPTION);
  }

  private static List<Patch> patches() {
    String[] helpers = {
      OkHttpSessions.class.getName(), OkHttpSessions.class.getName() + "$TakeOutOfService", OkHttpReroutes.class.getName()
    };
    return List.of(
        Patch.of(
                HTTP2_CONNECTION,
                named("close$okhttp").and(takesArguments(3)),
                Http2ConnectionInstrumentation.TeardownAdvice.class)
            .withHelpers(helpers),
        Patch.of(
                HTTP2_CONNECTION,
                named("newStream").and(isPublic()).and(takesArguments(List.class, boolean.class)),
                Http2ConnectionInstrumentation.NewStreamAdvice.class)
            .withHelpers(helpers),
        Patch.of(READER, named("goAway").and(takesArguments(3)), ReaderRunnableInstrumentation.GoAwayAdvice.class)
            .withHelpers(helpers),
        Patch.of(
                REAL_CONNECTION,
                named("trackFailure").or(named("trackFailure$okhttp")).and(takesArguments(2)),
                RealConnectionInstrumentation.TrackFailureAdvice.class)
            .withHelpers(helpers),
        Patch.of(RETRY, named("recover").and(returns(boolean.class)), RetryInstrumentation.RecoverAdvice.class)
            .withHelpers(helpers));
  }

  /** What every supported version has and the helpers use. */
  private static LibraryShape commonShape() {
    return LibraryShape.builder()
        .method(HTTP2_CONNECTION, "close$okhttp", ERROR_CODE, ERROR_CODE, IO_EXCEPTION)
        .method(HTTP2_CONNECTION, "newStream", "java.util.List", "boolean")
        .method(HTTP2_CONNECTION, "getClient$okhttp")
        .method(HTTP2_CONNECTION, "getListener$okhttp")
        .method(READER, "goAway", "int", ERROR_CODE, "okio.ByteString")
        .field(READER, "this$0")
        .method(REAL_CONNECTION, "getNoNewExchanges")
        .method(REAL_CONNECTION, "setNoNewExchanges", "boolean")
        .method(REAL_CONNECTION, "getCalls")
        .method(REAL_CONNECTION, "getConnectionPool")
        .method(REAL_CONNECTION, "route")
        .method(REAL_CONNECTION, "socket")
        .method(POOL, "connectionBecameIdle", REAL_CONNECTION)
        .method(REAL_CALL, "retryAfterFailure")
        .method(REAL_CALL, "isCanceled")
        .type("okhttp3.internal.http2.ConnectionShutdownException")
        .field("okhttp3.internal.http2.StreamResetException", "errorCode");
  }
}
