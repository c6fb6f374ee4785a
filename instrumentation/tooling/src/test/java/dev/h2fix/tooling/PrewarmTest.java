package dev.h2fix.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PrewarmTest {

  @Test
  void anApplicationThreadFirstKeepsTheWarmUpFromStarting() {
    Prewarm gate = new Prewarm();
    assertEquals("before the warm-up", gate.arrive());
    assertFalse(gate.tryStart(), "the warm-up must not start once an application thread has begun");
  }

  @Test
  void aWarmUpFirstIsNeverWaitedFor() {
    Prewarm gate = new Prewarm();
    assertTrue(gate.tryStart());
    assertEquals("during the warm-up", gate.arrive());
    assertFalse(gate.tryStart(), "one warm-up per JVM");
    gate.finish();
    assertEquals("after the warm-up", gate.arrive());
  }

  @Test
  void theWarmUpWeavesItsOwnClassWithoutLoadingIt() throws Exception {
    byte[] woven = ByteBuddyWarmUp.run();
    assertNotNull(woven, "Byte Buddy applied the warm-up advice");
    byte[] original =
        getClass().getClassLoader().getResourceAsStream("dev/h2fix/tooling/warmup/WarmUpTarget.class").readAllBytes();
    assertFalse(Arrays.equals(original, woven), "the advice was inlined");
  }

  @Test
  void theJdksOwnClientIsFoundInItsModuleWithoutLoadingIt() {
    LibraryLocation jdk = LibraryLocation.of("jdk.internal.net.http.Http2Connection");
    assertNotNull(jdk);
    assertEquals(ClassLoader.getPlatformClassLoader(), jdk.loader());
    assertEquals(null, LibraryLocation.of("no.such.library.Type"));
  }
}
