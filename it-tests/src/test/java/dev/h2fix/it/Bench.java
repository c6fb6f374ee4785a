package dev.h2fix.it;

import dev.h2fix.bench.BenchServer;

/** The arguments every client scenario takes to reach the bench through its fault proxies. */
final class Bench {
  private Bench() {}

  static Object[] clientArgs(BenchServer bench, String tag, int requests) {
    return new Object[] {
      "--h2c=" + bench.h2cProxy().listenPort(),
      "--tls=" + bench.tlsProxy().listenPort(),
      "--keystore=" + bench.certificate().keystorePath(),
      "--password=" + bench.certificate().password(),
      "--requests=" + requests,
      "--tag=" + tag,
    };
  }
}
