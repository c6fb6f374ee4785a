package dev.h2fix.tooling;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file in h2fix.jar that lists the {@link KnownBuild}s, written at build time and read once at
 * run time. A small binary format of its own (JDK streams only: nothing of Byte Buddy is loaded to
 * read it); the patched classes themselves are separate entries, read only when one is used.
 */
public final class KnownBuildIndex {
  /** Where the index is, in h2fix.jar. */
  public static final String RESOURCE = "META-INF/h2fix/known-builds.idx";
  /** Where the patched classes are, in h2fix.jar ({@code .bin}: no class-path scanner takes them for classes). */
  public static final String PATCHED_PREFIX = "META-INF/h2fix/known/";

  private static final String MAGIC = "h2fix known builds 2";

  private KnownBuildIndex() {}

  public static void write(List<KnownBuild> builds, DataOutputStream out) throws IOException {
    out.writeUTF(MAGIC);
    out.writeInt(builds.size());
    for (KnownBuild b : builds) {
      out.writeUTF(b.client());
      out.writeUTF(b.variant());
      out.writeInt(b.patches());
      out.writeUTF(b.label());
      out.writeInt(b.inputs().size());
      for (KnownBuild.ClassHash h : b.inputs()) {
        writeHash(h, out);
      }
      out.writeInt(b.targets().size());
      for (KnownBuild.Target t : b.targets()) {
        writeHash(t.stock(), out);
        out.writeUTF(t.resource());
      }
    }
  }

  /** @throws IOException also when the file is not an index of this version */
  public static List<KnownBuild> read(DataInputStream in) throws IOException {
    if (!MAGIC.equals(in.readUTF())) {
      throw new IOException("not a known-builds index of this h2fix");
    }
    int count = in.readInt();
    List<KnownBuild> builds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String client = in.readUTF();
      String variant = in.readUTF();
      int patches = in.readInt();
      String label = in.readUTF();
      int inputs = in.readInt();
      List<KnownBuild.ClassHash> in1 = new ArrayList<>(inputs);
      for (int j = 0; j < inputs; j++) {
        in1.add(readHash(in));
      }
      int targets = in.readInt();
      List<KnownBuild.Target> t1 = new ArrayList<>(targets);
      for (int j = 0; j < targets; j++) {
        t1.add(new KnownBuild.Target(readHash(in), in.readUTF()));
      }
      builds.add(new KnownBuild(client, variant, patches, label, List.copyOf(in1), List.copyOf(t1)));
    }
    return List.copyOf(builds);
  }

  private static void writeHash(KnownBuild.ClassHash h, DataOutputStream out) throws IOException {
    out.writeUTF(h.internalName());
    out.write(h.digest());
  }

  private static KnownBuild.ClassHash readHash(DataInputStream in) throws IOException {
    String name = in.readUTF();
    byte[] digest = new byte[ClassDigest.SIZE];
    in.readFully(digest);
    return new KnownBuild.ClassHash(name, digest);
  }
}
