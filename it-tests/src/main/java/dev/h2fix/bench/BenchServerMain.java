package dev.h2fix.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Runs a bench in its own JVM: starts the server, both proxies and the control port, prints one
 * {@link BenchInfo} line ({@code BENCH h2c=... tls=... h2cDirect=... tlsDirect=... control=... keystore=... password=...})
 * on stdout, then runs until stdin closes (the parent ends it by closing the pipe).
 * Arguments: none (a new self-signed certificate), or {@code <keystore.p12> <password>} to reuse one.
 */
public final class BenchServerMain {
  private BenchServerMain() {
  }

  public static void main(String[] args) throws Exception {
    SelfSignedCertificate certificate = args.length >= 2
        ? SelfSignedCertificate.load(Path.of(args[0]), args[1])
        : SelfSignedCertificate.create();
    try (BenchServer bench = BenchServer.start(certificate); BenchControl control = new BenchControl(bench)) {
      System.out.println(BenchInfo.of(bench, control).line());
      System.out.flush();
      drain(System.in);
    }
  }

  private static void drain(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // ignore input; EOF ends the bench
      }
    } catch (IOException ignored) {
      // parent gone
    }
  }
}
