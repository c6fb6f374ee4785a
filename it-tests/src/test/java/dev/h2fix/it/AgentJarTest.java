package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.runtime.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** h2fix.jar as shipped: self-contained, nothing of Byte Buddy unrelocated, a manifest that starts it. */
class AgentJarTest {

  @Test
  void noUnrelocatedByteBuddyAndNoPatchedLibraryInside() throws Exception {
    List<String> offending = new ArrayList<>();
    try (JarFile jar = new JarFile(ForkedScenario.AGENT_JAR.toFile())) {
      for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
        String n = e.getName();
        if (n.contains("net/bytebuddy/") || n.startsWith("okhttp3/") || n.startsWith("org/eclipse/jetty/")
            || n.startsWith("kotlin/") || n.startsWith("okio/")) {
          offending.add(n);
        }
      }
      assertTrue(offending.isEmpty(), "entries that must not be in h2fix.jar: " + offending);
      assertNotNull(jar.getJarEntry("dev/h2fix/shaded/bytebuddy/agent/builder/AgentBuilder.class"));
      assertNotNull(jar.getJarEntry("META-INF/h2fix/runtime.classes"));
    }
  }

  @Test
  void manifestStartsTheAgent() throws Exception {
    try (JarFile jar = new JarFile(ForkedScenario.AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("dev.h2fix.agent.H2FixAgent", main.getValue("Premain-Class"));
      assertEquals("dev.h2fix.agent.H2FixAgent", main.getValue("Agent-Class"));
      assertEquals("true", main.getValue("Can-Redefine-Classes"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertNotNull(main.getValue("Implementation-Version"));
    }
  }

  @Test
  void javaDashJarPrintsVersionUsageClientsAndEveryKey() throws Exception {
    String java = System.getProperty("java.home") + "/bin/java";
    Process p = new ProcessBuilder(java, "-jar", ForkedScenario.AGENT_JAR.toString()).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String text = out.toString();
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.startsWith("h2fix "), text);
    for (String client : List.of("okhttp", "jetty", "jdk")) {
      assertTrue(text.contains("  " + client + " "), "usage names client " + client + ":\n" + text);
    }
    for (ConfigKey key : ConfigKey.values()) {
      assertTrue(
          text.contains(key.key()) && text.contains(key.validValues()),
          "usage names key " + key.key() + " and its values:\n" + text);
    }
  }
}
