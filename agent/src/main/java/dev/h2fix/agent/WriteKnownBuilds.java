package dev.h2fix.agent;

import dev.h2fix.tooling.ClientModule;
import dev.h2fix.tooling.KnownBuild;
import dev.h2fix.tooling.KnownBuildIndex;
import dev.h2fix.tooling.KnownBuildMaker;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step (agent/pom.xml, before h2fix.jar is packed): weaves the library builds the project
 * tests against and writes their patched classes into the agent's classes, so that an application
 * using one of them starts without Byte Buddy (see {@code dev.h2fix.tooling.KnownBuilds}).
 *
 * <p>Arguments: the output directory (target/classes), then {@code label=directory} per library
 * build, the directory holding its jars with their dependencies. A directory that is missing, or a
 * patch that does not apply, fails the build.
 */
public final class WriteKnownBuilds {
  private WriteKnownBuilds() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: WriteKnownBuilds OUTPUT_DIR label=JAR_DIR...");
    }
    Path out = Path.of(args[0]);
    List<KnownBuild> builds = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      String label = args[i].substring(0, eq);
      List<Path> jars = jarsIn(Path.of(args[i].substring(eq + 1)));
      for (ClientModule module : SupportedClients.all()) {
        KnownBuildMaker.Made made = KnownBuildMaker.make(module, jars, label);
        if (made == null) {
          continue;
        }
        for (Map.Entry<String, byte[]> e : made.patched().entrySet()) {
          Path file = out.resolve(e.getKey());
          Files.createDirectories(file.getParent());
          Files.write(file, e.getValue());
        }
        builds.add(made.build());
        System.out.println("[h2fix] known build " + label + ": " + module.client().id() + " [" + made.build().variant()
            + " shape], " + made.patched().size() + " classes patched, " + made.build().inputs().size() + " class files read");
      }
    }
    Path index = out.resolve(KnownBuildIndex.RESOURCE);
    Files.createDirectories(index.getParent());
    try (OutputStream file = Files.newOutputStream(index);
        DataOutputStream data = new DataOutputStream(file)) {
      KnownBuildIndex.write(builds, data);
    }
  }

  private static List<Path> jarsIn(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("no such directory: " + dir);
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      if (jars.isEmpty()) {
        throw new IOException("no jar in " + dir);
      }
      return jars;
    }
  }
}
