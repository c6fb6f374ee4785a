package dev.h2fix.tooling;

import java.util.List;

/**
 * One copy of a library that h2fix was built against and has already patched: the class files the
 * patching read (by name and {@link ClassDigest}), and for each patched class the digest of its stock bytes
 * and where in h2fix.jar its patched bytes are. Byte Buddy's weaving is a function of exactly those
 * class files and h2fix's own advice, so a class loader whose copies of every one of them have the
 * same digests gets the same bytes from here as from weaving them again, without paying for Byte Buddy.
 *
 * @param client the client's id ({@code okhttp}, {@code jetty})
 * @param variant the name of the variant whose shape the copy matched
 * @param patches how many patches that variant has, for the log line
 * @param label the library and version it was made from, for the debug log
 * @param inputs every library class file the shape check and the weaving read
 * @param targets every class the variant patches
 */
public record KnownBuild(String client, String variant, int patches, String label, List<ClassHash> inputs, List<Target> targets) {

  /** A class file by internal name (e.g. {@code okhttp3/OkHttpClient}) and the {@link ClassDigest} of its bytes. */
  public record ClassHash(String internalName, byte[] digest) {}

  /**
   * @param stock the class as the library ships it
   * @param resource where its patched bytes are, in h2fix.jar
   */
  public record Target(ClassHash stock, String resource) {}
}
