package dev.h2fix.tooling;

import dev.h2fix.runtime.H2FixLog;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The patched classes h2fix.jar carries for the library builds it was built against (see
 * {@link KnownBuild}): a class whose stock bytes, and whose loader's copies of every class the
 * weaving read, have the recorded digests gets its patched bytes from h2fix.jar instead of from Byte Buddy.
 * This is what keeps Byte Buddy (about 1,100 classes, 300+ ms of CPU on its first use) off the
 * start-up of an application that uses one of those builds. Anything else (another version, a
 * class another agent changed first, a loader that is not h2fix's own) is woven at run time as
 * before.
 *
 * <p>Never blocks and never loads a class: class files are read as resources, and the monitor
 * guards map reads and writes only. Two threads may confirm the same build at once; both reach
 * the same answer.
 *
 * <p>This runs on the application's thread when it loads the library's first patched class, so it
 * uses no lambda and hashes no record: either bootstraps method handles on first use (measured:
 * 37 ms of the first OkHttp call, spinning about 100 classes for a record's hashCode). Builds are
 * keyed by identity; the index holds each once.
 */
final class KnownBuilds {
  /** A class found here: its patched bytes, or null when the build leaves it as it is (a detection type). */
  record Hit(KnownBuild build, byte[] patched) {}

  private final ClassLoader agentLoader;
  private final boolean enabled;
  private volatile List<KnownBuild> index;
  /** Per loader: whether its copy of a build's inputs hashes as recorded; builds by identity. */
  private final Map<ClassLoader, Map<KnownBuild, Boolean>> confirmed = new WeakHashMap<>();

  KnownBuilds(ClassLoader agentLoader, boolean enabled) {
    this.agentLoader = agentLoader;
    this.enabled = enabled;
  }

  /**
   * The patched bytes of {@code internalName} when {@code loader} is h2fix's own (no helper has to
   * be injected anywhere) and holds a known build of {@code client} that includes this class as
   * given; null otherwise.
   */
  Hit lookup(String client, ClassLoader loader, String internalName, byte[] classfile) {
    if (!servesFrom(loader)) {
      return null;
    }
    try {
      return find(client, loader, internalName, classfile);
    } catch (IOException | RuntimeException e) {
      // A class file that cannot be read here is woven at run time instead: the same patches.
      H2FixLog.debug("known builds not used for " + internalName + ": " + e.getClass().getName());
      return null;
    }
  }

  private Hit find(String client, ClassLoader loader, String internalName, byte[] classfile) throws IOException {
    byte[] digest = null;
    for (KnownBuild build : index()) {
      if (!build.client().equals(client)) {
        continue;
      }
      for (KnownBuild.Target t : build.targets()) {
        if (!t.stock().internalName().equals(internalName)) {
          continue;
        }
        if (digest == null) {
          digest = ClassDigest.of(classfile);
        }
        if (ClassDigest.same(digest, t.stock().digest()) && confirm(build, loader)) {
          if (t.resource().isEmpty()) {
            return new Hit(build, null);
          }
          byte[] patched = read(agentLoader, t.resource());
          return patched == null ? null : new Hit(build, patched);
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code loader}'s copy of {@code type} (the module's detection type) is that of a known
   * build: then the warm-up leaves the module alone, its classes being likely to come from here. One
   * class file is compared, not all (the warm-up competes with the application's start-up for the
   * CPU); should the whole build not match after all, its classes are woven at run time, unwarmed.
   */
  boolean probablyHeld(String client, ClassLoader loader, String type) {
    if (!servesFrom(loader)) {
      return false;
    }
    try {
      return detectionTypeKnown(client, loader, type);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean detectionTypeKnown(String client, ClassLoader loader, String type) throws IOException {
    String internal = type.replace('.', '/');
    byte[] digest = null;
    for (KnownBuild build : index()) {
      if (!build.client().equals(client)) {
        continue;
      }
      for (KnownBuild.ClassHash input : build.inputs()) {
        if (input.internalName().equals(internal)) {
          if (digest == null) {
            byte[] bytes = read(loader, internal + ".class");
            if (bytes == null) {
              return false;
            }
            digest = ClassDigest.of(bytes);
          }
          if (ClassDigest.same(digest, input.digest())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Only h2fix's own loader (library on the class path) is served: it finds the helpers the
   * patched classes call in h2fix.jar, so nothing has to be injected anywhere.
   */
  private boolean servesFrom(ClassLoader loader) {
    return enabled && loader != null && loader == agentLoader;
  }

  private boolean confirm(KnownBuild build, ClassLoader loader) throws IOException {
    Boolean known;
    synchronized (this) {
      Map<KnownBuild, Boolean> perLoader = confirmed.get(loader);
      known = perLoader == null ? null : perLoader.get(build);
    }
    if (known != null) {
      return known;
    }
    boolean same = true;
    for (KnownBuild.ClassHash input : build.inputs()) {
      byte[] bytes = read(loader, input.internalName() + ".class");
      if (bytes == null || !ClassDigest.same(ClassDigest.of(bytes), input.digest())) {
        same = false;
        break;
      }
    }
    synchronized (this) {
      Map<KnownBuild, Boolean> perLoader = confirmed.get(loader);
      if (perLoader == null) {
        perLoader = new IdentityHashMap<>();
        confirmed.put(loader, perLoader);
      }
      perLoader.put(build, same);
    }
    return same;
  }

  private List<KnownBuild> index() {
    List<KnownBuild> builds = index;
    if (builds == null) {
      builds = List.of();
      try (InputStream in = agentLoader == null ? null : agentLoader.getResourceAsStream(KnownBuildIndex.RESOURCE)) {
        if (in != null) {
          builds = KnownBuildIndex.read(new DataInputStream(in));
        }
      } catch (IOException | RuntimeException e) {
        // Then every class is woven at run time: slower to start, the same patches.
        H2FixLog.debug("known builds not read: " + e.getClass().getName());
      }
      index = builds;
    }
    return builds;
  }

  private static byte[] read(ClassLoader loader, String resource) throws IOException {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
