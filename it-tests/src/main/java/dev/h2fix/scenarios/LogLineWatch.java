package dev.h2fix.scenarios;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches for h2fix's start-up line while the JVM runs: standard error is replaced before
 * java.util.logging's console handler exists (it takes System.err when it is made), so the line
 * passes through here, and the time it came is printed (ms since the JVM started). A line written
 * by h2fix's exit hook would come too late to be seen. Gives up after {@code args[0]} ms.
 */
public final class LogLineWatch {
  public static void main(String[] args) throws Exception {
    PrintStream original = System.err;
    CountDownLatch seen = new CountDownLatch(1);
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public synchronized void write(int b) {
        original.write(b);
        copy.write(b);
        if (b == '\n' && copy.toString(StandardCharsets.UTF_8).contains(" installed in ")) {
          seen.countDown();
        }
      }
    }, true, StandardCharsets.UTF_8));
    boolean inTime = seen.await(Long.parseLong(args[0]), TimeUnit.MILLISECONDS);
    long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("H2FIX-COUNT lineSeenWhileRunning " + (inTime ? 1 : 0));
    System.out.println("H2FIX-COUNT lineSeenAtMs " + sinceStart);
  }
}
