package dev.h2fix.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.h2fix.scenarios.ShapeMismatch;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A library version of another shape is skipped whole, with one warning line, and works as stock. */
class ShapeMismatchTest {

  @Test
  void unknownShapeIsLeftAsStockWithOneWarning() {
    ScenarioOutcome outcome = ForkedScenario.of(ShapeMismatch.class).withAgent(true).run();
    assertEquals(0, outcome.exitCode(), outcome.toString());
    assertEquals(1, outcome.count("compiled"), outcome.toString());
    assertEquals(1, outcome.count("library.works"), outcome.toString());
    assertEquals(0, outcome.count("agent.patched.okhttp"), outcome.toString());
    assertEquals(1, outcome.count("agent.skipped.okhttp"), outcome.toString());
    long warnings = Arrays.stream(outcome.stderr().split("\n")).filter(l -> l.startsWith("WARNING: h2fix:")).count();
    assertEquals(1, warnings, outcome.stderr());
    assertTrue(outcome.stderr().contains("in unknown-okhttp@")
        && outcome.stderr().contains("left as stock: not a shape h2fix knows (5.x shape: missing"), outcome.stderr());
  }
}
