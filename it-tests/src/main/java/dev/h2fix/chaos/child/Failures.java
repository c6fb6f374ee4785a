package dev.h2fix.chaos.child;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Reading a client's failure: its root, whether a request timeout ended it, what to call it. */
public final class Failures {
  private Failures() {}

  /** Strips the wrappers futures add. */
  public static Throwable unwrap(Throwable t) {
    Throwable out = t;
    while ((out instanceof CompletionException || out instanceof ExecutionException) && out.getCause() != null) {
      out = out.getCause();
    }
    return out;
  }

  /** True when a request timeout (the client's or the harness's) ended the request. */
  public static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof java.net.http.HttpTimeoutException
          || c instanceof java.net.SocketTimeoutException
          || (c instanceof InterruptedIOException && "timeout".equals(c.getMessage()))) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** True when {@code t} or a cause is an instance of the class named {@code className}. */
  public static boolean hasCause(Throwable t, String className) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      for (Class<?> k = c.getClass(); k != null; k = k.getSuperclass()) {
        if (k.getName().equals(className)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The exception class, for the report (never the message: it may carry a URL). */
  public static String kind(Throwable t) {
    Throwable root = unwrap(t);
    return root == null ? "none" : root.getClass().getName();
  }
}
