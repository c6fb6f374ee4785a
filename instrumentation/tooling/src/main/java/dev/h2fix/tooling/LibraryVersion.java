package dev.h2fix.tooling;

import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/** Reads a library's version from the manifest of the jar a class came from, for the log only. */
final class LibraryVersion {
  private LibraryVersion() {}

  static String of(ProtectionDomain domain) {
    try {
      CodeSource source = domain == null ? null : domain.getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location != null && "jrt".equals(location.getProtocol())) {
        // A class of the JDK itself (java.net.http): its version is the runtime's.
        return "Java " + Runtime.version();
      }
      if (location == null || !location.getPath().endsWith(".jar")) {
        return "version unknown";
      }
      Manifest manifest = read(location);
      if (manifest == null) {
        return "version unknown";
      }
      Attributes main = manifest.getMainAttributes();
      String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
      if (version == null) {
        version = main.getValue("Bundle-Version");
      }
      return version == null ? "version unknown" : version;
    } catch (Exception | LinkageError e) {
      return "version unknown";
    }
  }

  private static Manifest read(URL location) throws Exception {
    if ("file".equals(location.getProtocol())) {
      try (JarFile jar = new JarFile(new java.io.File(location.toURI()))) {
        return jar.getManifest();
      }
    }
    try (InputStream in = location.openStream();
        JarInputStream jar = new JarInputStream(in)) {
      return jar.getManifest();
    }
  }
}
