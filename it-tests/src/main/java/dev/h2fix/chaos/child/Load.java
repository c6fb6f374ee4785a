package dev.h2fix.chaos.child;

import dev.h2fix.chaos.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The closed-loop load: {@code concurrency} threads, each sending its next scheduled request as soon
 * as its last one ended, until the request count or the duration is reached. A request still open
 * {@link #GRACE_MS} after the client's own timeout is counted as hung.
 */
public final class Load {
  static final long GRACE_MS = 5_000;

  /** One request's end, for the reporter. */
  public record Ended(ChildRequest request, Outcome outcome, boolean hung, long micros) {}

  private final Driver driver;
  private final Schedule schedule;
  private final String tag;
  private final int bodySize;
  private final int responseSize;
  private final long timeoutMs;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<Latencies> latencies = new ArrayList<>();

  public Load(Driver driver, Schedule schedule, String tag, int bodySize, int responseSize, long timeoutMs) {
    this.driver = driver;
    this.schedule = schedule;
    this.tag = tag;
    this.bodySize = bodySize;
    this.responseSize = responseSize;
    this.timeoutMs = timeoutMs;
  }

  public long done() {
    return done.get();
  }

  public long failed() {
    return failed.get();
  }

  /** Runs to the end; {@code ended} is called on the worker threads. Returns the elapsed nanoseconds. */
  public long run(int concurrency, long requests, long durationMs, Consumer<Ended> ended) throws InterruptedException {
    long limit = durationMs > 0 ? Long.MAX_VALUE : requests;
    long start = System.nanoTime();
    long deadline = durationMs > 0 ? start + TimeUnit.MILLISECONDS.toNanos(durationMs) : Long.MAX_VALUE;
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      Latencies mine = new Latencies();
      latencies.add(mine);
      Thread worker = new Thread(() -> work(limit, deadline, mine, ended), "chaos-worker-" + w);
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
    for (Thread worker : workers) {
      worker.join();
    }
    return System.nanoTime() - start;
  }

  /** Latencies of the successful requests, sorted. */
  public long[] sortedLatencies() {
    return Latencies.sortedUnion(latencies);
  }

  private void work(long limit, long deadline, Latencies mine, Consumer<Ended> ended) {
    long i;
    while ((i = next.getAndIncrement()) < limit && System.nanoTime() < deadline) {
      Schedule.Entry entry = schedule.entry(i);
      ChildRequest request = new ChildRequest(tag + "-" + i, entry.body(),
          entry.fault() == null ? null : entry.fault().headerValue(), bodySize, responseSize);
      long t0 = System.nanoTime();
      CompletableFuture<Outcome> future = driver.send(request);
      Outcome outcome;
      boolean hung = false;
      try {
        outcome = future.get(timeoutMs + GRACE_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        outcome = Outcome.failed(e, false);
        hung = true;
      } catch (Exception e) {
        outcome = Outcome.failed(e, false);
      }
      long micros = (System.nanoTime() - t0) / 1_000;
      if (outcome.ok()) {
        mine.add(micros);
      } else {
        failed.incrementAndGet();
        hung |= Failures.isTimeout(outcome.failure());
      }
      done.incrementAndGet();
      ended.accept(new Ended(request, outcome, hung, micros));
    }
  }
}
