package dev.h2fix.tooling;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * What a library version must look like for a module's patches to be correct: the types, methods
 * and fields the advice relies on. Checked once per class loader, by reading class files through a
 * {@link TypePool} (no class is loaded), before the first patch is applied, so a version of another
 * shape is skipped whole instead of being half-patched.
 */
public final class LibraryShape {
  private final List<Requirement> requirements = new ArrayList<>();

  public static LibraryShape builder() {
    return new LibraryShape();
  }

  /** The type must exist. */
  public LibraryShape type(String typeName) {
    requirements.add(new Requirement(typeName, null, null, null));
    return this;
  }

  /** The type must declare a method of that name taking exactly those parameter types (binary names). */
  public LibraryShape method(String typeName, String methodName, String... parameterTypes) {
    requirements.add(new Requirement(typeName, methodName, parameterTypes, null));
    return this;
  }

  /** The type must declare a field of that name. */
  public LibraryShape field(String typeName, String fieldName) {
    requirements.add(new Requirement(typeName, null, null, fieldName));
    return this;
  }

  /**
   * The type must not declare a field of that name: tells a shape from a later one that fixed what
   * the patches work around (the type itself must exist).
   */
  public LibraryShape noField(String typeName, String fieldName) {
    requirements.add(new Requirement(typeName, null, null, "!" + fieldName));
    return this;
  }

  /** Null when the library matches; otherwise the first requirement it misses, as one line. */
  public String firstMismatch(TypePool pool) {
    for (Requirement r : requirements) {
      String miss = r.check(pool);
      if (miss != null) {
        return miss;
      }
    }
    return null;
  }

  /** One type, or one method or field of it, that must be there. */
  private record Requirement(String typeName, String methodName, String[] parameterTypes, String fieldName) {

    String check(TypePool pool) {
      TypePool.Resolution resolution = pool.describe(typeName);
      if (!resolution.isResolved()) {
        return "missing class " + typeName;
      }
      TypeDescription type = resolution.resolve();
      if (fieldName != null && fieldName.startsWith("!")) {
        for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
          if (f.getName().equals(fieldName.substring(1))) {
            return "unexpected field " + typeName + "." + f.getName();
          }
        }
        return null;
      }
      if (fieldName != null) {
        for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
          if (f.getName().equals(fieldName)) {
            return null;
          }
        }
        return "missing field " + typeName + "." + fieldName;
      }
      if (methodName == null) {
        return null;
      }
      for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
        if (m.getInternalName().equals(methodName) && sameParameters(m)) {
          return null;
        }
      }
      return "missing method " + typeName + "." + methodName + "(" + String.join(",", parameterTypes) + ")";
    }

    private boolean sameParameters(MethodDescription.InDefinedShape m) {
      if (m.getParameters().size() != parameterTypes.length) {
        return false;
      }
      for (int i = 0; i < parameterTypes.length; i++) {
        if (!m.getParameters().get(i).getType().asErasure().getName().equals(parameterTypes[i])) {
          return false;
        }
      }
      return true;
    }
  }
}
