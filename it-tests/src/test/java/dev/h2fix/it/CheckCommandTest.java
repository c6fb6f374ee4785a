package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar h2fix.jar check} on the jars of every client version under test: the verdict
 * must be the variant the agent applies at run time (the scenarios of the other tests prove those
 * variants patch), and a library of another shape is reported as left as stock.
 */
class CheckCommandTest {
  @TempDir Path dir;

  record Result(int exit, String out) {}

  private static Result check(String... paths) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        System.getProperty("java.home") + "/bin/java", "-jar", ForkedScenario.AGENT_JAR.toString(), "check"));
    command.addAll(List.of(paths));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "check did not finish");
    return new Result(p.exitValue(), out.toString());
  }

  private static String lib(String client) {
    return ForkedScenario.CLIENT_CLASSPATHS.resolve(client).resolve("target").resolve("lib").toString();
  }

  @ParameterizedTest
  @CsvSource({
    "okhttp-4.12.0, 'okhttp  unknown        okhttp-4.12.0.jar: patched [4.12 shape]: 5 patches'",
    "okhttp-5.0.0,  'okhttp  5.0.0          okhttp-jvm-5.0.0.jar: patched [5.0 shape]: 5 patches'",
    "okhttp-5.5.1,  'okhttp  5.5.1          okhttp-jvm-5.5.1.jar: patched [5.x shape]: 5 patches'",
    "jetty-12.0.36, 'jetty   12.0.36        jetty-http2-common-12.0.36.jar: patched [12.x shape]: 16 patches (HTTP2Client, HttpClient over HTTP/2)'",
    "jetty-12.1.14, 'jetty   12.1.14        jetty-http2-common-12.1.14.jar: patched [12.x shape]: 16 patches (HTTP2Client, HttpClient over HTTP/2)'",
  })
  void everySupportedVersionIsPatched(String client, String expectedLine) throws Exception {
    Result r = check(lib(client));
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains(expectedLine), "expected line:\n" + expectedLine + "\nin:\n" + r.out());
    assertTrue(r.out().contains("running JDK: patched ["), r.out());
  }

  @Test
  void jettyWithoutHttpClientGetsTheSessionPatchesOnly() throws Exception {
    List<String> jars = new ArrayList<>();
    try (var files = Files.list(Path.of(lib("jetty-12.1.14")))) {
      files.filter(p -> !p.getFileName().toString().startsWith("jetty-http2-client-transport")
              && !p.getFileName().toString().startsWith("jetty-client"))
          .forEach(p -> jars.add(p.toString()));
    }
    Result r = check(jars.toArray(new String[0]));
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("patched [12.x (HTTP2Client only) shape]: 10 patches (HTTP2Client)"), r.out());
  }

  @Test
  void aLibraryOfAnotherShapeIsLeftAsStock() throws Exception {
    Path jar = fakeOkHttp();
    Result r = check(jar.toString(), lib("jetty-12.1.14"));
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("fake-okhttp.jar: left as stock: not a shape h2fix knows (5.x shape: missing method "
        + "okhttp3.internal.http2.Http2Connection.close$okhttp("), r.out());
    assertTrue(r.out().contains("jetty-http2-common-12.1.14.jar: patched [12.x shape]"), r.out());
  }

  @Test
  void aMissingPathIsBadInput() throws Exception {
    Result r = check(dir.resolve("missing").toString());
    assertEquals(2, r.exit(), r.out());
    assertTrue(r.out().contains("h2fix check: no such file or directory: " + dir.resolve("missing")), r.out());
  }

  /** OkHttp's HTTP/2 connection class name without its shape, as ShapeMismatch builds it. */
  private Path fakeOkHttp() throws Exception {
    Path source = dir.resolve("src/okhttp3/internal/http2/Http2Connection.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source,
        "package okhttp3.internal.http2;\npublic class Http2Connection { public String hello() { return \"stock\"; } }\n");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    OutputStream quiet = OutputStream.nullOutputStream();
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, quiet, quiet, "-d", classes.toString(), source.toString()));
    Path jar = dir.resolve("fake-okhttp.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      String entry = "okhttp3/internal/http2/Http2Connection.class";
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
    }
    return jar;
  }
}
