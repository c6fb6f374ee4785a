package dev.h2fix.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5: one {@link BenchServer} per test class, started before its first test and closed after
 * its last, plus a {@link BenchControl} on it when the class wants one. A test class says
 * {@code @ExtendWith(BenchExtension.class)} and declares {@code private static BenchServer bench;}
 * (and {@code private static BenchControl control;}); the extension sets those static fields.
 */
public final class BenchExtension implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BenchExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    Field benchField = staticField(testClass, BenchServer.class);
    Field controlField = staticField(testClass, BenchControl.class);
    if (benchField == null) {
      throw new IllegalStateException(testClass.getName() + " uses BenchExtension but has no static BenchServer field");
    }
    // Kept in the class's store: JUnit closes it (AutoCloseable) once the class's tests are done.
    Running running = context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(Running.class, k -> Running.start(controlField != null), Running.class);
    benchField.set(null, running.bench);
    if (controlField != null) {
      controlField.set(null, running.control);
    }
  }

  private static Field staticField(Class<?> testClass, Class<?> type) {
    for (Field field : testClass.getDeclaredFields()) {
      if (field.getType() == type && Modifier.isStatic(field.getModifiers())) {
        field.setAccessible(true);
        return field;
      }
    }
    return null;
  }

  /** A started bench (and control port), closed in the reverse order. */
  private static final class Running implements AutoCloseable {
    final BenchServer bench;
    final BenchControl control;

    private Running(BenchServer bench, BenchControl control) {
      this.bench = bench;
      this.control = control;
    }

    static Running start(boolean withControl) {
      BenchServer bench;
      try {
        bench = BenchServer.start();
      } catch (Exception e) {
        throw new IllegalStateException("bench did not start", e);
      }
      try {
        return new Running(bench, withControl ? new BenchControl(bench) : null);
      } catch (Exception e) {
        bench.close();
        throw new IllegalStateException("bench control did not start", e);
      }
    }

    @Override
    public void close() {
      if (control != null) {
        control.close();
      }
      bench.close();
    }
  }
}
