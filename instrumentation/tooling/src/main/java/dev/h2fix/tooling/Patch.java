package dev.h2fix.tooling;

import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One piece of advice applied to the methods of one library class.
 *
 * @param typeName binary name of the library class
 * @param methods which of its methods get the advice
 * @param adviceClass the advice: a class with {@code @Advice.OnMethodEnter}/{@code OnMethodExit} methods,
 *     inlined into the library's code
 * @param helpers binary names of helper classes the advice calls that touch library types; they are
 *     injected into the library's own class loader (helpers using JDK types only belong in the runtime)
 */
public record Patch(
    String typeName, ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass, List<String> helpers) {

  public static Patch of(String typeName, ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
    return new Patch(typeName, methods, adviceClass, List.of());
  }

  public Patch withHelpers(String... helperNames) {
    return new Patch(typeName, methods, adviceClass, List.of(helperNames));
  }
}
