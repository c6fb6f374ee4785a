package dev.h2fix.tooling;

import java.util.List;

/**
 * One shape of a library that a module knows how to patch (OkHttp 4.12 and 5.x differ, for
 * instance), with the patches for that shape. All of them are applied, or none.
 *
 * @param name how the log names this shape, e.g. "5.x"
 * @param shape what the library must look like
 * @param patches what h2fix changes in it
 */
public record Variant(String name, LibraryShape shape, List<Patch> patches) {}
