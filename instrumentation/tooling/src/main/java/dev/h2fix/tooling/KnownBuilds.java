package dev.h2fix.tooling;

import dev.h2fix.runtime.H2FixLog;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
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
  /**
   * h2fix.jar's entries (the index, the patched classes), its jar kept open for the JVM's life: the
   * JDK shares one open file per jar, which the agent's loader holds open anyway.
   */
  private final ResourceBytes agentJar;
  private final boolean enabled;
  private volatile List<KnownBuild> index;
  /** Per loader: whether its copy of a build's inputs hashes as recorded; builds by identity. */
  private final Map<ClassLoader, Map<KnownBuild, Boolean>> confirmed = new WeakHashMap<>();

  KnownBuilds(ClassLoader agentLoader, boolean enabled) {
    this.agentLoader = agentLoader;
    this.agentJar = agentLoader == null ? null : new ResourceBytes(agentLoader);
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
          byte[] patched = agentJar.read(t.resource());
          return patched == null ? null : new Hit(build, patched);
        }
      }
    }
    return null;
  }

  /**
   * For the warm-up, ahead of the library's first class: whether {@code loader} holds a known build
   * of {@code client} whose copy of {@code type} (the module's detection type) is the one in
   * {@code loader}. That build is then confirmed here, every input read and compared, and the
   * result kept: the application thread that loads the first patched class finds it done. True when
   * one was confirmed: its classes will come from here, and there is no Byte Buddy to warm.
   */
  boolean confirmAhead(String client, ClassLoader loader, String type) {
    if (!servesFrom(loader)) {
      return false;
    }
    try {
      String internal = type.replace('.', '/');
      byte[] digest = null;
      for (KnownBuild build : index()) {
        if (!build.client().equals(client)) {
          continue;
        }
        for (KnownBuild.ClassHash input : build.inputs()) {
          if (input.internalName().equals(internal)) {
            if (digest == null) {
              byte[] bytes;
              try (ResourceBytes files = new ResourceBytes(loader)) {
                bytes = files.read(internal + ".class");
              }
              if (bytes == null) {
                return false;
              }
              digest = ClassDigest.of(bytes);
            }
            if (ClassDigest.same(digest, input.digest()) && confirm(build, loader)) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
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
    try (ResourceBytes files = new ResourceBytes(loader)) {
      for (KnownBuild.ClassHash input : build.inputs()) {
        byte[] bytes = files.read(input.internalName() + ".class");
        if (bytes == null || !ClassDigest.same(ClassDigest.of(bytes), input.digest())) {
          same = false;
          break;
        }
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
      try {
        byte[] bytes = agentJar == null ? null : agentJar.read(KnownBuildIndex.RESOURCE);
        if (bytes != null) {
          builds = KnownBuildIndex.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        }
      } catch (IOException | RuntimeException e) {
        // Then every class is woven at run time: slower to start, the same patches.
        H2FixLog.debug("known builds not read: " + e.getClass().getName());
      }
      index = builds;
    }
    return builds;
  }
}
