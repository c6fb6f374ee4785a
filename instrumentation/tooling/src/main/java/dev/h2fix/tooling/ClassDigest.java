package dev.h2fix.tooling;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * What tells two class files apart for {@link KnownBuild}: length, CRC-32C and CRC-32 (128 bits,
 * two different polynomials). Not a cryptographic hash, and it need not be: the class files
 * compared are the application's own, and the JDK's CRCs are intrinsics that cost no start-up,
 * where the first {@code MessageDigest} loads the security providers (36-90 ms measured here).
 */
final class ClassDigest {
  static final int SIZE = 16;

  private ClassDigest() {}

  static byte[] of(byte[] classFile) {
    CRC32C c = new CRC32C();
    c.update(classFile);
    CRC32 d = new CRC32();
    d.update(classFile);
    return ByteBuffer.allocate(SIZE).putLong(classFile.length).putInt((int) c.getValue()).putInt((int) d.getValue()).array();
  }

  static boolean same(byte[] a, byte[] b) {
    return Arrays.equals(a, b);
  }

  /** The first 8 bytes' worth of hex after the length, for the debug log (tests compare them). */
  static String shortHex(byte[] classFile) {
    byte[] d = of(classFile);
    StringBuilder hex = new StringBuilder();
    for (int i = 8; i < SIZE; i++) {
      hex.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
    }
    return hex.toString();
  }
}
