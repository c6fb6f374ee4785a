package dev.h2fix.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Build step (agent/pom.xml, before h2fix.jar is packed): writes the runtime jar's classes into the
 * agent's classes as one {@link RuntimeClasses} file, supertypes first, so that premain defines
 * each class at the first try.
 *
 * <p>Arguments: the runtime jar, then the output directory (target/classes). A runtime jar without
 * classes, or whose types cannot be ordered, fails the build.
 */
public final class WriteRuntimeClasses {
  private WriteRuntimeClasses() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: WriteRuntimeClasses RUNTIME_JAR OUTPUT_DIR");
    }
    Map<String, byte[]> classes = new TreeMap<>();
    try (JarFile jar = new JarFile(Path.of(args[0]).toFile())) {
      for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/")) {
          try (InputStream in = jar.getInputStream(e)) {
            classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
          }
        }
      }
    }
    if (classes.isEmpty()) {
      throw new IOException("no class in " + args[0]);
    }
    Path file = Path.of(args[1]).resolve(RuntimeClasses.RESOURCE);
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      RuntimeClasses.write(supertypesFirst(classes), out);
    }
    System.out.println("[h2fix] runtime: " + classes.size() + " classes written to " + RuntimeClasses.RESOURCE);
  }

  /** The classes reordered so that no class comes before a supertype of it that is among them. */
  static Map<String, byte[]> supertypesFirst(Map<String, byte[]> classes) throws IOException {
    Map<String, List<String>> supertypes = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      ClassReader reader = new ClassReader(c.getValue());
      List<String> own = new ArrayList<>();
      if (reader.getSuperName() != null) {
        own.add(reader.getSuperName().replace('/', '.'));
      }
      for (String i : reader.getInterfaces()) {
        own.add(i.replace('/', '.'));
      }
      own.retainAll(classes.keySet());
      supertypes.put(c.getKey(), own);
    }
    Map<String, byte[]> ordered = new LinkedHashMap<>();
    while (ordered.size() < classes.size()) {
      int before = ordered.size();
      for (Map.Entry<String, List<String>> c : supertypes.entrySet()) {
        if (!ordered.containsKey(c.getKey()) && ordered.keySet().containsAll(c.getValue())) {
          ordered.put(c.getKey(), classes.get(c.getKey()));
        }
      }
      if (ordered.size() == before) {
        throw new IOException("runtime types cannot be ordered: " + supertypes);
      }
    }
    return ordered;
  }
}
