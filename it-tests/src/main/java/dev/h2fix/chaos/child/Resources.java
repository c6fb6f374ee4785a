package dev.h2fix.chaos.child;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** What a child JVM holds: live threads, heap in use after a GC, open file descriptors (sockets included). */
public record Resources(int threads, long heapBytes, long openFiles) {
  public static Resources now() {
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long files = os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    return new Resources(threads, heap, files);
  }

  /** Back to {@code baseline}: threads and files within a small slack, heap within 25% + 8 MB. */
  public boolean within(Resources baseline) {
    return threads <= baseline.threads + 2 && openFiles <= baseline.openFiles + 2
        && heapBytes <= baseline.heapBytes * 5 / 4 + 8L * 1024 * 1024;
  }
}
