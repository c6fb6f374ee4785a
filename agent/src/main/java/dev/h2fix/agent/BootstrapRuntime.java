package dev.h2fix.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

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
  static final String NESTED_JAR = "/META-INF/h2fix/h2fix-runtime.jar";
  private static final String PROBE = "dev.h2fix.runtime.H2FixRuntime";
  private static final String UNSAFE_PACKAGE = "jdk.internal.misc";

  private BootstrapRuntime() {}

  static synchronized void appendTo(Instrumentation inst) throws IOException {
    if (isOnBootstrap()) {
      return;
    }
    Map<String, byte[]> classes = readNestedJar();
    try {
      defineInBootstrap(inst, classes);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (isOnBootstrap()) {
        throw new IOException("h2fix runtime half defined in the bootstrap loader: " + e, e);
      }
      appendJar(inst);
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

  private static Map<String, byte[]> readNestedJar() throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    // A plain zip stream: the nested jar is not signed, and JarInputStream would set up manifest
    // verification for nothing (classes loaded at premain).
    try (InputStream raw = open();
        ZipInputStream jar = new ZipInputStream(raw)) {
      for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/")) {
          classes.put(name.substring(0, name.length() - 6).replace('/', '.'), readAll(jar));
        }
      }
    }
    return classes;
  }

  /**
   * Defines every runtime class in the bootstrap loader through the JDK's internal Unsafe, after
   * exporting its package to h2fix's own module only. A class whose supertype is not defined yet is
   * retried in the next round.
   */
  private static void defineInBootstrap(Instrumentation inst, Map<String, byte[]> classes)
      throws ReflectiveOperationException {
    Module javaBase = Object.class.getModule();
    Module self = BootstrapRuntime.class.getModule();
    inst.redefineModule(
        javaBase, Set.of(), Map.of(UNSAFE_PACKAGE, Set.of(self)), Map.of(), Set.of(), Map.of());
    Class<?> unsafeClass = Class.forName(UNSAFE_PACKAGE + ".Unsafe");
    Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
    Method define =
        unsafeClass.getMethod(
            "defineClass", String.class, byte[].class, int.class, int.class, ClassLoader.class,
            java.security.ProtectionDomain.class);
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    for (int round = 0; round < classes.size() && !pending.isEmpty(); round++) {
      boolean progress = false;
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, byte[]> c = it.next();
        try {
          define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
          it.remove();
          progress = true;
        } catch (java.lang.reflect.InvocationTargetException e) {
          if (!(e.getCause() instanceof NoClassDefFoundError)) {
            throw e;
          }
        }
      }
      if (!progress) {
        break;
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("could not define " + pending.keySet());
    }
  }

  private static void appendJar(Instrumentation inst) throws IOException {
    Path jar = Files.createTempFile("h2fix-runtime-", ".jar");
    jar.toFile().deleteOnExit();
    try (InputStream in = open()) {
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  /**
   * Opens the nested runtime jar. Read straight from h2fix.jar when it is a file: going through the
   * class loader's resource lookup first initialises the JDK's module image reader, milliseconds
   * the application would pay at start-up.
   */
  private static InputStream open() throws IOException {
    try {
      java.security.CodeSource source = BootstrapRuntime.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation().getPath().endsWith(".jar")) {
        JarFile agentJar = new JarFile(new java.io.File(source.getLocation().toURI()), false);
        JarEntry nested = agentJar.getJarEntry(NESTED_JAR.substring(1));
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
    InputStream in = BootstrapRuntime.class.getResourceAsStream(NESTED_JAR);
    if (in == null) {
      throw new IOException("h2fix.jar is incomplete: " + NESTED_JAR + " is missing");
    }
    return in;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
