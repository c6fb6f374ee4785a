package dev.h2fix.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a run passes: every child finished, and in the h2fix phase of each client h2fix patched
 * no never-sent failure (with a replayable body), no duplicate delivery, no hung request, and (soak)
 * threads, heap and open files back to their baseline. A client h2fix does not patch runs stock in
 * both phases: its figures are shown, not held against h2fix.
 */
final class Gate {
  private Gate() {}

  /** The reasons the run fails; empty when it passes. */
  static List<String> problems(List<PhaseFigures> figures) {
    List<String> problems = new ArrayList<>();
    for (PhaseFigures f : figures) {
      if (!f.complete()) {
        problems.add(f.client() + " [" + f.phase() + "]: the child JVM did not finish (exit " + f.exitCode() + ")");
        continue;
      }
      if (!f.agent() || !f.patched()) {
        continue;
      }
      if (f.neverSent() > 0) {
        problems.add(f.client() + ": " + f.neverSent() + " never-sent failures with h2fix (" + kinds(f) + ")");
      }
      if (f.duplicates() > 0) {
        problems.add(f.client() + ": " + f.duplicates() + " duplicate deliveries with h2fix");
      }
      java.util.Map<String, Long> x = f.extra();
      if (x.containsKey("threadsBefore") && !new dev.h2fix.chaos.child.Resources((int) (long) x.get("threadsAfter"),
          x.get("heapAfter"), x.get("filesAfter")).within(new dev.h2fix.chaos.child.Resources(
          (int) (long) x.get("threadsBefore"), x.get("heapBefore"), x.get("filesBefore")))) {
        problems.add(f.client() + ": threads, heap or open files not back to their baseline after the load");
      }
      if (f.hung() > 0) {
        problems.add(f.client() + ": " + f.hung() + " hung requests with h2fix");
      }
    }
    return problems;
  }

  /** The exception classes (and scheduled faults) of the never-sent failures, for the message. */
  private static String kinds(PhaseFigures f) {
    StringBuilder out = new StringBuilder();
    f.failureKinds().forEach((kind, count) -> {
      if (kind.startsWith("never-sent ")) {
        out.append(out.length() == 0 ? "" : ", ").append(count).append(' ').append(kind.substring("never-sent ".length()));
      }
    });
    return out.toString();
  }
}
