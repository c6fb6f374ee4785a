package dev.h2fix.tooling;

import dev.h2fix.runtime.Client;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What h2fix does to one client library. A module names the class whose loading reveals the
 * library, the shapes (variants) of the library it knows, and for each shape the patches. The first
 * variant whose shape matches a class loader's copy of the library is applied whole; when none
 * matches, the library is left as stock in that loader and one warning line says why.
 */
public interface ClientModule {

  Client client();

  /** Binary name of a class every supported version has and loads early, e.g. the HTTP/2 connection. */
  String detectionType();

  /**
   * The named module of the JDK the library lives in (e.g. {@code java.net.http}), which must be made
   * to read h2fix's runtime in the bootstrap loader before its classes are patched; null for a
   * library on a class path.
   */
  default String namedModule() {
    return null;
  }

  /**
   * The shapes this module can patch, most recent first. Built once, the first time a class of the
   * library loads (or in the background when the library is on the class path): never at premain.
   */
  List<Variant> variants();

  /**
   * Every class name that must pass through the transformer: the detection type and all patched
   * types. Read at premain, so a module should override this with constants: the default builds
   * every patch, and with it Byte Buddy's matchers (measured: 30-200 ms of start-up). A variant
   * that patches a type missing here is refused whole, never half-applied.
   */
  default Set<String> targetTypes() {
    return typesOf(detectionType(), variants());
  }

  /** The detection type and every type the variants patch. */
  static Set<String> typesOf(String detectionType, List<Variant> variants) {
    Set<String> names = new LinkedHashSet<>();
    names.add(detectionType);
    for (Variant v : variants) {
      for (Patch p : v.patches()) {
        names.add(p.typeName());
      }
    }
    return names;
  }
}
