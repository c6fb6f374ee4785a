package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.bench.BenchExtension;
import dev.h2fix.bench.BenchServer;
import dev.h2fix.scenarios.HealthyJetty;
import dev.h2fix.scenarios.okhttp.HealthyOkHttp;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The patched classes h2fix.jar carries for the library builds it was built against are the very
 * bytes Byte Buddy weaves at run time: for every client version under test, one JVM takes them
 * from h2fix.jar ({@code knownBuilds=true}, the default) and one weaves them
 * ({@code knownBuilds=false}); every class both loaded must have the same digest (or be left
 * unchanged in both), on Java 17 and on Java 25.
 */
@ExtendWith(BenchExtension.class)
class KnownBuildsTest {
  private static final Pattern TRANSFORMED =
      Pattern.compile("\\[debug\\] transformed (\\S+) in \\d+ us on .*?(, known build (\\S+))?, (unchanged|digest [0-9a-f]+)$",
          Pattern.MULTILINE);
  private static BenchServer bench;

  @ParameterizedTest
  @ValueSource(strings = {"okhttp-5.5.1", "okhttp-5.0.0", "okhttp-4.12.0", "jetty-12.1.14", "jetty-12.0.36"})
  void knownBuildIsWhatByteBuddyWeaves(String client) {
    compare(client, Path.of(System.getProperty("java.home")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp-5.5.1", "jetty-12.1.14"})
  void onJava25(String client) {
    Assumptions.assumeTrue(Jdks.hasJdk25(), "no JDK 25 at " + Jdks.JDK25);
    compare(client, Jdks.JDK25);
  }

  private static void compare(String client, Path javaHome) {
    Class<?> scenario = client.startsWith("okhttp") ? HealthyOkHttp.class : HealthyJetty.class;
    String tag = client + "-" + javaHome.getFileName() + "-known";
    ScenarioOutcome known = ForkedScenario.of(scenario).client(client).javaHome(javaHome).withAgent(true)
        .agentArgs("log=debug,jdk.enabled=false").args(Bench.clientArgs(bench, tag, 2)).run();
    ScenarioOutcome woven = ForkedScenario.of(scenario).client(client).javaHome(javaHome).withAgent(true)
        .agentArgs("log=debug,jdk.enabled=false,knownBuilds=false").args(Bench.clientArgs(bench, tag + "-woven", 2)).run();
    assertEquals(0, known.exitCode(), known.toString());
    assertEquals(0, woven.exitCode(), woven.toString());

    Map<String, String> fromJar = digests(known.stderr(), client, true);
    Map<String, String> fromByteBuddy = digests(woven.stderr(), client, false);
    assertTrue(fromJar.size() >= 3, "classes from h2fix.jar: " + fromJar + "\n" + known.stderr());
    assertTrue(fromByteBuddy.size() >= 3, "classes woven: " + fromByteBuddy + "\n" + woven.stderr());
    Map<String, String> both = new TreeMap<>(fromJar);
    both.keySet().retainAll(fromByteBuddy.keySet());
    assertTrue(both.size() >= 3, "classes loaded in both JVMs: " + both);
    for (Map.Entry<String, String> e : both.entrySet()) {
      assertEquals(fromByteBuddy.get(e.getKey()), e.getValue(), e.getKey() + ": woven at run time vs from h2fix.jar");
    }
  }

  /** Class name to digest (or "unchanged") of every class h2fix transformed, checking where it came from. */
  private static Map<String, String> digests(String stderr, String client, boolean fromJar) {
    Map<String, String> out = new TreeMap<>();
    Matcher m = TRANSFORMED.matcher(stderr);
    while (m.find()) {
      String label = m.group(3);
      if (fromJar) {
        assertEquals(client, label, "every class from the known build " + client + ": " + m.group());
      } else {
        assertEquals(null, label, "nothing from a known build with knownBuilds=false: " + m.group());
      }
      out.put(m.group(1), m.group(4));
    }
    return out;
  }
}
