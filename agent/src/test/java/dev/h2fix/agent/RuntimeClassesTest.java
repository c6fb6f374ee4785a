package dev.h2fix.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeClassesTest {
  interface Shape {}

  static class Base implements Shape {}

  static final class Leaf extends Base {}

  @Test
  void supertypesComeFirstWhateverTheOrderGiven() throws IOException {
    Map<String, byte[]> given = new LinkedHashMap<>();
    for (Class<?> c : List.of(Leaf.class, Base.class, Shape.class)) {
      given.put(c.getName(), classFile(c));
    }
    Map<String, byte[]> ordered = WriteRuntimeClasses.supertypesFirst(given);
    assertEquals(List.of(Shape.class.getName(), Base.class.getName(), Leaf.class.getName()), List.copyOf(ordered.keySet()));
  }

  @Test
  void readGivesBackWhatWasWrittenInOrder() throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    classes.put("a.B", new byte[] {1, 2, 3});
    classes.put("a.A", new byte[0]);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RuntimeClasses.write(classes, out);
    Map<String, byte[]> read = RuntimeClasses.read(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(List.of("a.B", "a.A"), List.copyOf(read.keySet()));
    assertArrayEquals(new byte[] {1, 2, 3}, read.get("a.B"));
    assertArrayEquals(new byte[0], read.get("a.A"));
  }

  @Test
  void anotherFileIsRefused() {
    assertThrows(IOException.class, () -> RuntimeClasses.read(new ByteArrayInputStream(new byte[] {0, 3, 'a', 'b', 'c'})));
  }

  private static byte[] classFile(Class<?> c) throws IOException {
    String name = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
