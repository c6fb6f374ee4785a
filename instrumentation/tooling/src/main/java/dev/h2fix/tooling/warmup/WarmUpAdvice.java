package dev.h2fix.tooling.warmup;

import net.bytebuddy.asm.Advice;

/** Advice of the same kinds as the real patches use, inlined into {@link WarmUpTarget} in the warm-up only. */
public final class WarmUpAdvice {
  private WarmUpAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static boolean enter(
      @Advice.This Object self, @Advice.Argument(0) Object first, @Advice.FieldValue("state") Object state) {
    return self == null && first == state;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter boolean skipped,
      @Advice.Return(readOnly = false) boolean result,
      @Advice.Thrown Throwable thrown,
      @Advice.AllArguments Object[] arguments) {
    if (skipped && thrown == null && arguments.length == 2) {
      result = false;
    }
  }
}
