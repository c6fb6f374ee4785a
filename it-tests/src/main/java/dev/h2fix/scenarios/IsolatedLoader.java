package dev.h2fix.scenarios;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * OkHttp and a probe loaded by a child {@link URLClassLoader} whose parent is the platform loader
 * (as in Spring Boot nested jars, OSGi or a webapp loader): neither the agent jar nor the
 * application class path is visible from it. Reports whether the probe reached h2fix's runtime, and
 * whether h2fix recognised the OkHttp copy inside that loader.
 *
 * <p>Args: --jars=dir-of-okhttp-jars --classes=dir-of-scenario-classes
 */
public final class IsolatedLoader {
  public static void main(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    List<URL> urls = new ArrayList<>();
    urls.add(Path.of(args.get("classes")).toUri().toURL());
    try (Stream<Path> jars = Files.list(Path.of(args.get("jars")))) {
      for (Path jar : (Iterable<Path>) jars.sorted()::iterator) {
        urls.add(jar.toUri().toURL());
      }
    }
    try (URLClassLoader isolated =
        new URLClassLoader("isolated", urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      try {
        Object loader = Class.forName(RuntimeProbe.class.getName(), true, isolated)
            .getMethod("runtimeLoader").invoke(null);
        report.add(loader == null ? "runtime.bootstrap" : "runtime.elsewhere");
      } catch (java.lang.reflect.InvocationTargetException e) {
        report.add("runtime.unreachable." + e.getCause().getClass().getSimpleName());
      }
      // Loading OkHttp's HTTP/2 connection class in the isolated loader is what h2fix reacts to.
      Class<?> connection = Class.forName("okhttp3.internal.http2.Http2Connection", true, isolated);
      report.add("okhttp.loader.isolated", connection.getClassLoader() == isolated ? 1 : 0);
    }
    report.agentState("okhttp");
    for (String line : dev.h2fix.runtime.H2FixRuntime.patched()) {
      if (line.contains(" in isolated@")) {
        report.add("agent.patched.inIsolatedLoader");
      }
    }
    report.print();
  }
}
