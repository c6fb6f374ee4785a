package dev.h2fix.tooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownBuildIndexTest {

  @Test
  void writesAndReadsBack() throws IOException {
    KnownBuild.ClassHash a = new KnownBuild.ClassHash("a/A", ClassDigest.of(bytes("A")));
    KnownBuild.ClassHash b = new KnownBuild.ClassHash("a/B", ClassDigest.of(bytes("B")));
    KnownBuild build = new KnownBuild("okhttp", "5.x", 5, "okhttp-5.5.1", List.of(a, b),
        List.of(new KnownBuild.Target(a, "META-INF/h2fix/known/x/a/A.bin"), new KnownBuild.Target(b, "")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KnownBuildIndex.write(List.of(build), new DataOutputStream(out));

    List<KnownBuild> read = KnownBuildIndex.read(new DataInputStream(new ByteArrayInputStream(out.toByteArray())));
    assertEquals(1, read.size());
    KnownBuild r = read.get(0);
    assertEquals(List.of("okhttp", "5.x", 5, "okhttp-5.5.1"), List.of(r.client(), r.variant(), r.patches(), r.label()));
    assertEquals("a/B", r.inputs().get(1).internalName());
    assertArrayEquals(b.digest(), r.inputs().get(1).digest());
    assertEquals("", r.targets().get(1).resource());
  }

  @Test
  void refusesAnotherFormat() {
    byte[] junk = "not an index".getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> KnownBuildIndex.read(new DataInputStream(new ByteArrayInputStream(junk))));
  }

  @Test
  void digestTellsOneByteApart() {
    byte[] x = bytes("class file bytes");
    byte[] y = bytes("class file bytez");
    assertTrue(ClassDigest.same(ClassDigest.of(x), ClassDigest.of(x.clone())));
    assertFalse(ClassDigest.same(ClassDigest.of(x), ClassDigest.of(y)));
    assertEquals(ClassDigest.SIZE, ClassDigest.of(x).length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
