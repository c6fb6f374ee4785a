package dev.h2fix.scenarios.okhttp;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/** A request body that can be written once, like a stream read from a socket: never to be replayed. */
public final class OneShotBody extends RequestBody {
  private static final MediaType BYTES = MediaType.get("application/octet-stream");
  private final int size;

  public OneShotBody(int size) {
    this.size = size;
  }

  @Override
  public MediaType contentType() {
    return BYTES;
  }

  @Override
  public boolean isOneShot() {
    return true;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.write(new byte[size]);
  }
}
