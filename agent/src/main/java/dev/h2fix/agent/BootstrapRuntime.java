package dev.h2fix.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts h2fix's runtime (counters, listeners, configuration) into the bootstrap class loader, so that
 * advice inlined into a class of any class loader, including the platform loader and a child
 * loader that cannot see the agent jar, finds one and the same copy.
 *
 * <p>The runtime's classes are defined directly in the bootstrap loader. Appending a jar to the
 * bootstrap class path would do too, but the JVM then switches class data sharing off for every
 * loader but the bootstrap one and prints a warning at each start: an application would see a
 * change. The append stays as the fallback.
 *
 * <p>Uses JDK types only and must run before any {@code dev.h2fix.runtime} class is touched: from
 * then on the application loader's parent-first delegation resolves those classes to the bootstrap
 * copy.
 */
final class BootstrapRuntime {
  private static final String PROBE = "dev.h2fix.runtime.H2FixRuntime";
  private static final String UNSAFE_PACKAGE = "jdk.internal.misc";

  private BootstrapRuntime() {}

  static synchronized void appendTo(Instrumentation inst) throws IOException {
    if (isOnBootstrap()) {
      return;
    }
    Map<String, byte[]> classes = readRuntimeClasses();
    try {
      defineInBootstrap(inst, classes);
    } catch (ReflectiveOperationException | IOException | RuntimeException | LinkageError e) {
      if (isOnBootstrap()) {
        throw new IOException("h2fix runtime half defined in the bootstrap loader: " + e, e);
      }
      appendJar(inst, classes);
    }
  }

  static boolean isOnBootstrap() {
    try {
      Class.forName(PROBE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static Map<String, byte[]> readRuntimeClasses() throws IOException {
    try (InputStream in = open("/" + RuntimeClasses.RESOURCE)) {
      return RuntimeClasses.read(in);
    }
  }

  /**
   * Defines every runtime class in the bootstrap loader through the JDK's internal Unsafe, from a
   * class of its own loader ({@link DefinerLoader}) whose unnamed module is the only one java.base
   * exports {@code jdk.internal.misc} to. Exporting it to this class's module would export it to
   * the application loader's unnamed module: to every class on the class path (a library that probes
   * for {@code jdk.internal.misc.Unsafe}, as Netty does, would then find it).
   */
  private static void defineInBootstrap(Instrumentation inst, Map<String, byte[]> classes)
      throws ReflectiveOperationException, IOException {
    Class<?> definer = new DefinerLoader().define(read(DefinerLoader.RESOURCE));
    inst.redefineModule(Object.class.getModule(), Set.of(),
        Map.of(UNSAFE_PACKAGE, Set.of(definer.getModule())), Map.of(), Set.of(), Map.of());
    // One reflective call. A failure inside arrives as InvocationTargetException, handled by the
    // caller like any other.
    definer.getMethod("defineOnce", Map.class).invoke(null, classes);
  }

  /** The fallback: the same classes as a jar on the bootstrap class path (a temporary file). */
  private static void appendJar(Instrumentation inst, Map<String, byte[]> classes) throws IOException {
    Path jar = Files.createTempFile("h2fix-runtime-", ".jar");
    jar.toFile().deleteOnExit();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> c : classes.entrySet()) {
        out.putNextEntry(new ZipEntry(c.getKey().replace('.', '/') + ".class"));
        out.write(c.getValue());
        out.closeEntry();
      }
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = open(resource)) {
      return readAll(in);
    }
  }

  /**
   * Opens one entry of h2fix.jar ({@code /path}). Read straight from h2fix.jar when it is a file:
   * going through the class loader's resource lookup first initialises the JDK's module image
   * reader, milliseconds the application would pay at start-up.
   */
  private static InputStream open(String resource) throws IOException {
    try {
      java.security.CodeSource source = BootstrapRuntime.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation().getPath().endsWith(".jar")) {
        JarFile agentJar = new JarFile(new java.io.File(source.getLocation().toURI()), false);
        JarEntry nested = agentJar.getJarEntry(resource.substring(1));
        if (nested != null) {
          return new java.io.FilterInputStream(agentJar.getInputStream(nested)) {
            @Override
            public void close() throws IOException {
              super.close();
              agentJar.close();
            }
          };
        }
        agentJar.close();
      }
    } catch (java.net.URISyntaxException | SecurityException e) {
      // fall through to the resource lookup
    }
    InputStream in = BootstrapRuntime.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("h2fix.jar is incomplete: " + resource + " is missing");
    }
    return in;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
