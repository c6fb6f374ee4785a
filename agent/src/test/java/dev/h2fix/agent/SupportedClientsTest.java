package dev.h2fix.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.h2fix.tooling.ClientModule;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SupportedClientsTest {

  /**
   * The transformer sees only the names a module lists in targetTypes() (constants, read at
   * premain); a patched type missing there would never be patched, so it must list exactly what its
   * variants patch.
   */
  @Test
  void everyModuleListsExactlyTheTypesItsVariantsPatch() {
    for (ClientModule m : SupportedClients.all()) {
      Set<String> patched = ClientModule.typesOf(m.detectionType(), m.variants());
      assertEquals(patched, Set.copyOf(m.targetTypes()), m.client().id());
    }
  }
}
