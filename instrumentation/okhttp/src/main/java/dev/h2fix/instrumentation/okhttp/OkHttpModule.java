package dev.h2fix.instrumentation.okhttp;

import dev.h2fix.runtime.Client;
import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.LibraryShape;
import dev.h2fix.tooling.Variant;
import java.util.List;

/**
 * OkHttp 5.x and 4.12. Internal Kotlin members compile to {@code name$okhttp}; the two lines differ
 * in how a connection is told to take no new exchanges.
 */
public final class OkHttpModule implements ClientModule {
  static final String HTTP2_CONNECTION = "okhttp3.internal.http2.Http2Connection";
  static final String REAL_CONNECTION = "okhttp3.internal.connection.RealConnection";
  static final String ERROR_CODE = "okhttp3.internal.http2.ErrorCode";

  @Override
  public Client client() {
    return Client.OKHTTP;
  }

  @Override
  public String detectionType() {
    return HTTP2_CONNECTION;
  }

  @Override
  public List<Variant> variants() {
    return List.of(
        new Variant("5.x", commonShape().method(REAL_CONNECTION, "noNewExchanges"), List.of()),
        new Variant("4.12", commonShape().method(REAL_CONNECTION, "noNewExchanges$okhttp"), List.of()));
  }

  /** The HTTP/2 teardown both lines share: close$okhttp fails the streams after setting isShutdown. */
  private static LibraryShape commonShape() {
    return LibraryShape.builder()
        .field(HTTP2_CONNECTION, "isShutdown")
        .method(HTTP2_CONNECTION, "close$okhttp", ERROR_CODE, ERROR_CODE, "java.io.IOException")
        .method(HTTP2_CONNECTION, "newStream", "java.util.List", "boolean");
  }
}
