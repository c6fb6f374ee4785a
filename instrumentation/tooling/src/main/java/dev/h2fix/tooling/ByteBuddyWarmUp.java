package dev.h2fix.tooling;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.h2fix.tooling.warmup.WarmUpAdvice;
import dev.h2fix.tooling.warmup.WarmUpTarget;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Runs Byte Buddy once, in the background, over a class of h2fix's own that is never loaded, with
 * an advice like the real ones (enter/exit, this, arguments, fields, return value, thrown): the
 * hundreds of Byte Buddy and ASM classes the first real patch needs are then loaded and initialised
 * before an application thread needs them. The result is thrown away; nothing is defined, nothing
 * injected. (Byte Buddy's class injector is not warmed: the libraries warmed up are on the class
 * path, whose loader finds h2fix's helpers in h2fix.jar without it.)
 */
final class ByteBuddyWarmUp {
  private static final String TARGET = WarmUpTarget.class.getName().replace('.', '/');

  private ByteBuddyWarmUp() {}

  /** Returns the woven class file (for tests), or null when Byte Buddy did not weave it. */
  static byte[] run() throws Exception {
    ClassLoader agentLoader = ByteBuddyWarmUp.class.getClassLoader();
    byte[] classFile;
    try (InputStream in = agentLoader.getResourceAsStream(TARGET + ".class")) {
      if (in == null) {
        throw new IOException("missing " + TARGET);
      }
      classFile = in.readAllBytes();
    }
    ClassFileTransformer transformer =
        VariantTransformer.agentBuilder(AgentBuilder.Listener.NoOp.INSTANCE)
            .type(named(WarmUpTarget.class.getName()))
            .transform(
                new AgentBuilder.Transformer.ForAdvice()
                    .include(agentLoader)
                    .advice(named("work").and(takesArguments(2)), WarmUpAdvice.class.getName()))
            .makeRaw();
    return transformer.transform(agentLoader, TARGET, null, ByteBuddyWarmUp.class.getProtectionDomain(), classFile);
  }
}
