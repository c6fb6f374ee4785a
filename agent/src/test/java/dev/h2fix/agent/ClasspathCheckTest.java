package dev.h2fix.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code h2fix check} on jars made here; the real client jars are checked in it-tests (CheckCommandTest). */
class ClasspathCheckTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(String... paths) {
    return ClasspathCheck.run(List.of(paths), new PrintStream(out, true), new PrintStream(err, true));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noPathIsBadInput() {
    assertEquals(2, check());
    assertTrue(err.toString().contains("give at least one jar or directory"), err.toString());
  }

  @Test
  void aMissingPathIsNamed() {
    assertEquals(2, check(dir.resolve("nope.jar").toString()));
    assertTrue(err.toString().contains("no such file or directory: " + dir.resolve("nope.jar")), err.toString());
  }

  @Test
  void aFileThatIsNotAJarIsNamed() throws Exception {
    Path bogus = Files.writeString(dir.resolve("bogus.jar"), "not a zip");
    assertEquals(2, check(bogus.toString()));
    assertTrue(err.toString().contains("cannot read " + bogus + " as a jar"), err.toString());
  }

  @Test
  void nothingFoundIsExitZero() throws Exception {
    Path jar = jar("plain.jar", "1.0", "com.example.Thing", "package com.example; public class Thing {}");
    assertEquals(0, check(jar.toString()));
    assertTrue(out().contains("No HTTP/2 client library found"), out());
    assertTrue(out().contains("jdk "), "the JDK's client is always mentioned:\n" + out());
  }

  @Test
  void anOkHttpOfAnotherShapeIsLeftAsStockWithItsFirstMismatch() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("app/lib/nested"));
    jarIn(lib, "okhttp-9.9.9.jar", "9.9.9", "okhttp3.internal.http2.Http2Connection",
        "package okhttp3.internal.http2; public class Http2Connection { public String hello() { return \"\"; } }");
    assertEquals(1, check(dir.resolve("app").toString()));
    assertTrue(out().contains("okhttp  9.9.9"), out());
    assertTrue(out().contains("okhttp-9.9.9.jar: left as stock: not a shape h2fix knows (5.x shape: missing"), out());
  }

  @Test
  void aClientH2fixHasNoModuleForIsReported() throws Exception {
    Path jar = jar("netty-codec-http2-4.1.0.jar", "4.1.0", "io.netty.handler.codec.http2.Http2ConnectionHandler",
        "package io.netty.handler.codec.http2; public class Http2ConnectionHandler {}");
    assertEquals(1, check(jar.toString()));
    assertTrue(out().contains("netty-codec-http2-4.1.0.jar: not a client h2fix knows (Netty HTTP/2 codec"), out());
  }

  @Test
  void usageNamesTheCommand() {
    assertEquals(0, Usage.run(new String[0], new PrintStream(out, true), new PrintStream(err, true)));
    assertTrue(out().contains("java -jar h2fix.jar check PATH..."), out());
  }

  private Path jar(String name, String version, String className, String source) throws Exception {
    return jarIn(dir, name, version, className, source);
  }

  private Path jarIn(Path where, String name, String version, String className, String source) throws Exception {
    Path src = Files.createTempDirectory(dir, "src");
    Path file = src.resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    Path classes = Files.createTempDirectory(dir, "classes");
    OutputStream quiet = OutputStream.nullOutputStream();
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, quiet, quiet, "-d", classes.toString(), file.toString()));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    Path jar = where.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      String entry = className.replace('.', '/') + ".class";
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
    }
    return jar;
  }
}
