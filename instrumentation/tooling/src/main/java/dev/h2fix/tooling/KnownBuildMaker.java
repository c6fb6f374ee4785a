package dev.h2fix.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Build time only: weaves one copy of a library (its jars) with a module's patches, as the agent
 * would at run time in its own class loader, and records what that read (see {@link KnownBuild}).
 * Loads no library class: the jars are read through a class loader used for its resources only.
 */
public final class KnownBuildMaker {
  /** A build and its patched classes by resource name. */
  public record Made(KnownBuild build, Map<String, byte[]> patched) {}

  private KnownBuildMaker() {}

  /**
   * @return null when the jars do not hold the library or match none of the module's shapes
   * @throws IllegalStateException when a patch of the matching variant does not apply: the build must fail
   */
  public static Made make(ClientModule module, List<Path> jars, String label) throws IOException {
    if (module.namedModule() != null) {
      return null; // the JDK's own client: patched as the running JDK has it, never ahead
    }
    List<URL> urls = new ArrayList<>();
    for (Path jar : jars) {
      urls.add(jar.toUri().toURL());
    }
    try (RecordingLoader loader = new RecordingLoader(urls.toArray(new URL[0]), KnownBuildMaker.class.getClassLoader())) {
      ShapeCheck.Verdict verdict =
          ShapeCheck.of(module.variants(), ShapeCheck.poolOver(ClassFileLocator.ForClassLoader.of(loader)));
      if (!verdict.patched()) {
        return null;
      }
      Variant variant = verdict.variant();
      for (Patch p : variant.patches()) {
        if (!module.targetTypes().contains(p.typeName())) {
          throw new IllegalStateException(label + ": " + p.typeName() + " is patched but not in targetTypes()");
        }
      }
      ClassFileTransformer transformer = VariantTransformer.build(module.client(), variant, false);
      List<KnownBuild.Target> targets = new ArrayList<>();
      Map<String, byte[]> patched = new LinkedHashMap<>();
      for (String type : new TreeSet<>(module.targetTypes())) { // sorted: the same jar from the same sources
        String internal = type.replace('.', '/');
        byte[] stock = loader.bytes(internal);
        if (stock == null) {
          continue; // a type this version does not have (the shape said it does not need it)
        }
        byte[] woven = weave(transformer, loader, internal, stock);
        boolean patches = patches(variant, type);
        if (patches && woven == null) {
          throw new IllegalStateException(label + ": the " + variant.name() + " patches did not apply to " + type);
        }
        String resource = "";
        if (woven != null) {
          resource = KnownBuildIndex.PATCHED_PREFIX + label + "/" + internal + ".bin";
          patched.put(resource, woven);
        }
        targets.add(new KnownBuild.Target(new KnownBuild.ClassHash(internal, ClassDigest.of(stock)), resource));
      }
      List<KnownBuild.ClassHash> inputs = new ArrayList<>();
      for (Map.Entry<String, byte[]> read : loader.read.entrySet()) {
        inputs.add(new KnownBuild.ClassHash(read.getKey(), ClassDigest.of(read.getValue())));
      }
      return new Made(
          new KnownBuild(module.client().id(), variant.name(), variant.patches().size(), label, List.copyOf(inputs), List.copyOf(targets)), patched);
    }
  }

  private static byte[] weave(ClassFileTransformer transformer, ClassLoader loader, String internal, byte[] stock) {
    try {
      return transformer.transform(loader, internal, null, null, stock);
    } catch (IllegalClassFormatException e) {
      throw new IllegalStateException("could not weave " + internal, e);
    }
  }

  private static boolean patches(Variant variant, String type) {
    for (Patch p : variant.patches()) {
      if (p.typeName().equals(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Serves the jars' class files as resources and remembers each one served from the jars (not
   * from its parent, which holds h2fix and Byte Buddy as the agent's loader does at run time).
   */
  private static final class RecordingLoader extends URLClassLoader {
    final Map<String, byte[]> read = new TreeMap<>();

    RecordingLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      if (!name.endsWith(".class") || getParent().getResource(name) != null) {
        return super.getResourceAsStream(name);
      }
      try {
        byte[] bytes = bytes(name.substring(0, name.length() - ".class".length()));
        return bytes == null ? null : new java.io.ByteArrayInputStream(bytes);
      } catch (IOException e) {
        return null;
      }
    }

    byte[] bytes(String internal) throws IOException {
      String name = internal + ".class";
      URL url = findResource(name);
      if (url == null) {
        return null;
      }
      try (InputStream in = url.openStream()) {
        byte[] bytes = in.readAllBytes();
        synchronized (read) {
          read.put(internal, bytes);
        }
        return bytes;
      }
    }
  }
}
