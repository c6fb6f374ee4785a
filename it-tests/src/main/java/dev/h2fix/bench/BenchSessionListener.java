package dev.h2fix.bench;

import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.util.Callback;

/** Session-level events of one connector: registers sessions and hands new streams to {@link BenchExchange}. */
final class BenchSessionListener implements ServerSessionListener {
  private final BenchServer bench;
  private volatile Supplier<Map<Integer, Integer>> settings = Map::of;

  BenchSessionListener(BenchServer bench) {
    this.bench = bench;
  }

  void settings(Supplier<Map<Integer, Integer>> settings) {
    this.settings = settings;
  }

  @Override
  public void onAccept(Session session) {
    bench.state(session); // attaches the frame listener before any HEADERS is parsed
  }

  @Override
  public Map<Integer, Integer> onPreface(Session session) {
    return settings.get();
  }

  @Override
  public Stream.Listener onNewStream(Stream stream, HeadersFrame frame) {
    return BenchExchange.onNewStream(bench, bench.state(stream.getSession()), stream, frame);
  }

  @Override
  public void onClose(Session session, GoAwayFrame frame, Callback callback) {
    bench.forget(session);
    callback.succeeded();
  }
}
