package dev.h2fix.agent;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file in h2fix.jar that holds h2fix's runtime classes, for {@link BootstrapRuntime}: each
 * class's binary name and class file, in the order they can be defined (every supertype before its
 * subtypes), written at build time by {@link WriteRuntimeClasses}.
 *
 * <p>Why not a jar inside the jar, as before: reading one meant two inflations and a
 * {@code ZipInputStream}, 2-3 ms of premain. This is one entry read in one go, 1.2-1.8 ms, most of
 * it inflating 80 KB. JDK types only, like {@link BootstrapRuntime}: nothing of the runtime may
 * load before it is defined.
 */
final class RuntimeClasses {
  /** Where the file is, in h2fix.jar. */
  static final String RESOURCE = "META-INF/h2fix/runtime.classes";
  private static final String MAGIC = "h2fix runtime classes 1";

  private RuntimeClasses() {}

  /** Binary name to class file, in definition order. */
  static Map<String, byte[]> read(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    if (!MAGIC.equals(in.readUTF())) {
      throw new IOException("not a runtime-classes file of this h2fix");
    }
    int count = in.readInt();
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      classes.put(name, bytes);
    }
    return classes;
  }

  /** @param classes binary name to class file, already in definition order */
  static void write(Map<String, byte[]> classes, OutputStream raw) throws IOException {
    DataOutputStream out = new DataOutputStream(raw);
    out.writeUTF(MAGIC);
    out.writeInt(classes.size());
    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
      out.writeUTF(c.getKey());
      out.writeInt(c.getValue().length);
      out.write(c.getValue());
    }
    out.flush();
  }

}
