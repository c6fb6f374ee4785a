package dev.h2fix.tooling;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;

import dev.h2fix.runtime.Client;
import dev.h2fix.runtime.Event;
import dev.h2fix.runtime.H2FixLog;
import dev.h2fix.runtime.Stats;
import java.lang.instrument.ClassFileTransformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Turns one variant's patches into a Byte Buddy transformer: built once per variant, in the
 * background when the library is on the class path ({@link Prewarm}), otherwise the first time a
 * patched class loads.
 */
final class VariantTransformer {
  private VariantTransformer() {}

  /**
   * @param injectHelpers whether Byte Buddy must inject the patches' helper classes into the
   *     library's class loader; not when that loader is the agent's own (the usual
   *     {@code -javaagent} case, library on the class path), which finds them in h2fix.jar itself.
   *     That skips Byte Buddy's class injector, whose set-up (it generates an accessor class to reach
   *     {@code ClassLoader.defineClass}) was measured at 0.3-1 s of CPU on this project's machines.
   */
  static ClassFileTransformer build(Client client, Variant variant, boolean injectHelpers) {
    Map<String, List<Patch>> byType = new LinkedHashMap<>();
    for (Patch p : variant.patches()) {
      byType.computeIfAbsent(p.typeName(), t -> new ArrayList<>()).add(p);
    }
    AgentBuilder builder = agentBuilder(new FailureListener(client));
    for (Map.Entry<String, List<Patch>> e : byType.entrySet()) {
      AgentBuilder.Identified.Narrowable type = builder.type(named(e.getKey()));
      AgentBuilder.Identified.Extendable extendable = null;
      for (Patch p : e.getValue()) {
        AgentBuilder.Transformer.ForAdvice advice =
            new AgentBuilder.Transformer.ForAdvice().include(p.adviceClass().getClassLoader());
        if (injectHelpers) {
          advice = advice.auxiliary(p.helpers());
        }
        advice = advice.advice(p.methods(), p.adviceClass().getName());
        extendable = extendable == null ? type.transform(advice) : extendable.transform(advice);
      }
      builder = extendable;
    }
    return builder.makeRaw();
  }

  /**
   * How every h2fix transformer is configured. No class format changes: the same advice must also
   * apply when retransforming classes that were loaded before H2Fix.install() ran.
   */
  static AgentBuilder agentBuilder(AgentBuilder.Listener listener) {
    disableNexus();
    // Advice only touches the methods a class declares: no need to resolve and merge every
    // supertype's methods (the default method graph reads the whole hierarchy's class files).
    ByteBuddy byteBuddy =
        new ByteBuddy().with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE).with(TypeValidation.DISABLED);
    return new AgentBuilder.Default(byteBuddy)
        .disableClassFormatChanges()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(listener)
        .ignore(none());
  }

  /**
   * Byte Buddy's agent builder, when first created, sets up its "Nexus" (for initialisers of
   * generated classes; h2fix generates none and changes no class format) by injecting a class into
   * the system class loader, which first builds an accessor class for {@code ClassLoader.defineClass}:
   * 0.3-1 s of CPU measured on this project's machines, and a class defined in the application's
   * loader for nothing. Byte Buddy's documented switch turns it off; in h2fix.jar the switch is
   * relocated with the rest of Byte Buddy, so it names h2fix's copy only and no other Byte Buddy in
   * the JVM. Set only if nobody has set it.
   */
  private static void disableNexus() {
    String key = NEXUS_SWITCH;
    try {
      if (System.getProperty(key) == null) {
        System.setProperty(key, "true");
      }
    } catch (SecurityException e) {
      // Then Byte Buddy sets up its Nexus as usual: slower, not wrong.
    }
  }

  /** "net.bytebuddy.nexus.disabled" in Byte Buddy's sources; the shade plugin relocates it with the classes. */
  private static final String NEXUS_SWITCH = "net.bytebuddy.nexus.disabled";

  /** Counts and reports, once per class, a patch Byte Buddy could not apply. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    private final Client client;

    FailureListener(Client client) {
      this.client = client;
    }

    @Override
    public void onTransformation(
        TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      H2FixLog.debug("patched class " + type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
      Stats.increment(client, Event.ADVICE_FAILURES);
      H2FixLog.warnOnce(
          "patch:" + typeName, "could not patch " + typeName + " (" + t.getClass().getName() + "); left as stock");
    }
  }
}
