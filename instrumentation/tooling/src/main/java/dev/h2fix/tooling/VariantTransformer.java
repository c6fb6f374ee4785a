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
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/** Turns one variant's patches into a Byte Buddy transformer. Built the first time a patched class loads. */
final class VariantTransformer {
  private VariantTransformer() {}

  static ClassFileTransformer build(Client client, Variant variant) {
    Map<String, List<Patch>> byType = new LinkedHashMap<>();
    for (Patch p : variant.patches()) {
      byType.computeIfAbsent(p.typeName(), t -> new ArrayList<>()).add(p);
    }
    // No class format changes: the same advice must also apply when retransforming classes that
    // were loaded before H2Fix.install() ran.
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new FailureListener(client))
            .ignore(none());
    for (Map.Entry<String, List<Patch>> e : byType.entrySet()) {
      AgentBuilder.Identified.Narrowable type = builder.type(named(e.getKey()));
      AgentBuilder.Identified.Extendable extendable = null;
      for (Patch p : e.getValue()) {
        AgentBuilder.Transformer advice =
            new AgentBuilder.Transformer.ForAdvice()
                .include(p.adviceClass().getClassLoader())
                .auxiliary(p.helpers())
                .advice(p.methods(), p.adviceClass().getName());
        extendable = extendable == null ? type.transform(advice) : extendable.transform(advice);
      }
      builder = extendable;
    }
    return builder.makeRaw();
  }

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
