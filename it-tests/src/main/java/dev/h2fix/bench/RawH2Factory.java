package dev.h2fix.bench;

import java.util.Map;

import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.server.RawHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Jetty's raw HTTP/2 factory under any protocol name ("h2c" or "h2"). Only its two-argument
 * constructor (fixed to "h2") wraps the listener so the preface SETTINGS carry the factory's
 * configuration; the named constructor does not, so this exposes {@link #settings()} for the
 * bench listener's {@code onPreface}.
 */
final class RawH2Factory extends RawHTTP2ServerConnectionFactory {
  RawH2Factory(HttpConfiguration config, ServerSessionListener listener, String protocol) {
    super(config, listener, protocol);
  }

  Map<Integer, Integer> settings() {
    return newSettings();
  }
}
