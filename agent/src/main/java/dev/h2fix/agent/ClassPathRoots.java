package dev.h2fix.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * The class path {@code h2fix check} reads: each given jar, each given directory (as a directory of
 * classes) and every jar under it (nested folders too, such as lib/), in the order given, then the
 * running JDK. Class files are read, never loaded.
 */
final class ClassPathRoots implements AutoCloseable {
  private static final int MAX_DEPTH = 16;

  private final List<Root> roots;
  private final int jars;
  private final int directories;

  /** One jar or directory of classes. */
  static final class Root {
    private final Path path;
    private final JarFile jar;
    private final ClassFileLocator locator;

    Root(Path path, JarFile jar) {
      this.path = path;
      this.jar = jar;
      this.locator = jar != null ? new ClassFileLocator.ForJarFile(jar) : new ClassFileLocator.ForFolder(path.toFile());
    }

    /** The file name for a jar; the path for a directory. */
    String name() {
      return jar != null ? String.valueOf(path.getFileName()) : path.toString();
    }

    boolean has(String binaryName) {
      String entry = binaryName.replace('.', '/') + ".class";
      return jar != null ? jar.getJarEntry(entry) != null : Files.isRegularFile(path.resolve(entry));
    }

    /** From the manifest (Implementation-Version, Bundle-Version), else Maven's pom.properties, else "unknown". */
    String version() {
      if (jar == null) {
        return "unknown";
      }
      try {
        Manifest manifest = jar.getManifest();
        if (manifest != null) {
          Attributes main = manifest.getMainAttributes();
          String v = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
          if (v == null) {
            v = main.getValue("Bundle-Version");
          }
          if (v != null) {
            return v;
          }
        }
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          JarEntry entry = e.nextElement();
          String n = entry.getName();
          if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
            Properties pom = new Properties();
            try (InputStream in = jar.getInputStream(entry)) {
              pom.load(in);
            }
            if (pom.getProperty("version") != null) {
              return pom.getProperty("version");
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        return "unknown";
      }
      return "unknown";
    }
  }

  /** A path that does not exist or cannot be read, with a message naming it. */
  static final class BadPath extends Exception {
    BadPath(String message) {
      super(message);
    }
  }

  private ClassPathRoots(List<Root> roots, int jars, int directories) {
    this.roots = roots;
    this.jars = jars;
    this.directories = directories;
  }

  static ClassPathRoots open(List<String> paths) throws BadPath {
    List<Root> roots = new ArrayList<>();
    int jars = 0;
    int directories = 0;
    try {
      for (String given : paths) {
        Path path = Path.of(given);
        if (!Files.exists(path)) {
          throw new BadPath("no such file or directory: " + given);
        }
        if (!Files.isReadable(path)) {
          throw new BadPath("cannot read " + given);
        }
        if (Files.isDirectory(path)) {
          roots.add(new Root(path, null));
          directories++;
          for (Path jar : jarsUnder(path)) {
            roots.add(new Root(jar, openJar(jar)));
            jars++;
          }
        } else {
          roots.add(new Root(path, openJar(path)));
          jars++;
        }
      }
    } catch (BadPath e) {
      close(roots);
      throw e;
    }
    return new ClassPathRoots(roots, jars, directories);
  }

  private static List<Path> jarsUnder(Path dir) throws BadPath {
    try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
      return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new BadPath("cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static JarFile openJar(Path path) throws BadPath {
    try {
      return new JarFile(path.toFile(), false);
    } catch (IOException | SecurityException e) {
      throw new BadPath("cannot read " + path + " as a jar: " + e.getMessage());
    }
  }

  /** The roots that hold that class, in class path order. */
  List<Root> holding(String binaryName) {
    List<Root> out = new ArrayList<>();
    for (Root r : roots) {
      if (r.has(binaryName)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The class files as a class loader over this class path would see them, with {@code first} put
   * in front (so that each copy of a library found twice is judged on its own), then the JDK.
   */
  ClassFileLocator locatorPreferring(Root first) {
    List<ClassFileLocator> all = new ArrayList<>();
    all.add(first.locator);
    for (Root r : roots) {
      if (r != first) {
        all.add(r.locator);
      }
    }
    all.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
    return new ClassFileLocator.Compound(all);
  }

  String describe() {
    return jars + (jars == 1 ? " jar" : " jars") + ", " + directories + (directories == 1 ? " directory" : " directories");
  }

  List<Root> roots() {
    return roots;
  }

  @Override
  public void close() {
    close(roots);
  }

  private static void close(List<Root> roots) {
    for (Root r : roots) {
      if (r.jar != null) {
        try {
          r.jar.close();
        } catch (IOException ignored) {
          // read-only; nothing to lose
        }
      }
    }
  }
}
