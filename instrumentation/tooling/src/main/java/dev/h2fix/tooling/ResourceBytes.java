package dev.h2fix.tooling;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads class files and h2fix's own entries as bytes, the copy a class loader would use, for
 * {@link KnownBuilds}. Reads share one open {@link JarFile} per jar until {@link #close}; one
 * instance may serve several threads.
 *
 * <p>Why not {@code ClassLoader.getResourceAsStream}: it opens each resource as a {@code jar:} URL
 * connection, whose machinery (a dozen JDK classes loaded and run in the interpreter, a URL parsed
 * per read) is most of what the known-build check cost on the application's first patched class.
 * Here the loader only says where the resource is ({@code getResource}); the bytes come straight
 * from the jar, which the loader already has open (the JDK shares one open file per jar), so the
 * same bytes are read: the loader's first match, and in a multi-release jar the entry for this
 * Java version, as the loader would define it.
 */
final class ResourceBytes implements AutoCloseable {
  private final ClassLoader loader;
  private final Map<String, JarFile> jars = new ConcurrentHashMap<>();

  ResourceBytes(ClassLoader loader) {
    this.loader = loader;
  }

  /** The resource's bytes as {@code loader} would give them; null when it has no such resource. */
  byte[] read(String name) throws IOException {
    URL url = loader.getResource(name);
    if (url == null) {
      return null;
    }
    JarFile jar = jarOf(url);
    if (jar != null) {
      ZipEntry entry = jar.getJarEntry(name);
      if (entry != null) {
        try (InputStream in = jar.getInputStream(entry)) {
          return in.readAllBytes();
        }
      }
    }
    try (InputStream in = url.openStream()) {
      return in.readAllBytes();
    }
  }

  /** The jar a {@code jar:file:...!/name} URL points into, opened once; null for any other URL. */
  private JarFile jarOf(URL url) throws IOException {
    if (!"jar".equals(url.getProtocol())) {
      return null;
    }
    String spec = url.getPath();
    int bang = spec.indexOf("!/");
    if (bang < 0 || !spec.startsWith("file:") || spec.indexOf("!/", bang + 2) >= 0) {
      return null; // a jar nested in a jar (a fat-jar loader's URL): its own handler reads it
    }
    String path = spec.substring(0, bang);
    JarFile jar = jars.get(path);
    if (jar == null) {
      try {
        jar = new JarFile(new File(new URI(path)), false, ZipFile.OPEN_READ, JarFile.runtimeVersion());
      } catch (URISyntaxException | IllegalArgumentException e) {
        return null;
      }
      JarFile earlier = jars.putIfAbsent(path, jar);
      if (earlier != null) {
        jar.close();
        jar = earlier;
      }
    }
    return jar;
  }

  @Override
  public void close() {
    for (JarFile jar : jars.values()) {
      try {
        jar.close();
      } catch (IOException e) {
        // Read-only: nothing is lost.
      }
    }
    jars.clear();
  }
}
