package dev.h2fix.scenarios;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A library that has OkHttp's HTTP/2 connection class name but not its shape (an OkHttp version
 * h2fix does not know): compiled here, loaded in its own class loader. h2fix must leave it as it
 * is and say so in one warning line.
 */
public final class ShapeMismatch {
  public static void main(String[] args) throws Exception {
    Report report = new Report();
    Path dir = Files.createTempDirectory("h2fix-shape");
    Path source = dir.resolve("okhttp3/internal/http2/Http2Connection.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source,
        "package okhttp3.internal.http2;\n"
            + "public class Http2Connection { public String hello() { return \"stock\"; } }\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", dir.toString(), source.toString());
    report.add("compiled", rc == 0 ? 1 : 0);
    try (URLClassLoader loader = new URLClassLoader("unknown-okhttp", new URL[] {dir.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> type = Class.forName("okhttp3.internal.http2.Http2Connection", true, loader);
      Object answer = type.getMethod("hello").invoke(type.getConstructor().newInstance());
      report.add("library.works", "stock".equals(answer) ? 1 : 0);
    }
    report.agentState("okhttp");
    report.print();
  }

  private ShapeMismatch() {}
}
