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

  /** The shapes this module can patch, most recent first. */
  List<Variant> variants();

  /** Every class name that must pass through the transformer: the detection type and all patched types. */
  default Set<String> targetTypes() {
    Set<String> names = new LinkedHashSet<>();
    names.add(detectionType());
    for (Variant v : variants()) {
      for (Patch p : v.patches()) {
        names.add(p.typeName());
      }
    }
    return names;
  }
}
