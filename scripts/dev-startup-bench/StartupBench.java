import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * Developer tool, not a test and not the project's benchmark harness: what h2fix costs a JVM at
 * start-up, measured from outside. Runs one small child program many times, without the agent and
 * with each given agent jar, interleaved (the order rotates every round), and prints medians.
 *
 * <p>Workloads: {@code hello} (prints a line and exits: wall time to exit), {@code okhttp} and
 * {@code jetty} (one GET over h2c to a running bench server: wall time from spawning the JVM to
 * reading the response line, and to exit). The client workloads start the bench server
 * ({@code dev.h2fix.bench.BenchServerMain} from it-tests/target/h2fix-chaos.jar) in its own JVM once,
 * for the whole run. Children use the jars of it-tests/client-classpaths (okhttp-5.5.1,
 * jetty-12.1.14).
 *
 * <pre>
 *   mvn -B -o -q package -DskipTests      # agent/target/h2fix.jar, it-tests/target/h2fix-chaos.jar, client jars
 *   java scripts/dev-startup-bench/StartupBench.java --workload=hello --runs=20 \
 *       --agent=before=/tmp/h2fix-before.jar --agent=after=agent/target/h2fix.jar
 * </pre>
 *
 * Options: {@code --workload=hello|okhttp|jetty}, {@code --runs=N} (default 20), {@code --agent=name=path}
 * (repeatable; "none" is always measured; {@code path=key=value,...} passes agent arguments),
 * {@code --noop-agent} (also measures an agent whose premain only registers a transformer that
 * changes nothing: what any {@code ClassFileTransformer} agent costs this JVM), {@code --java=path/to/java},
 * {@code --jetty-idle-ms=N} (the Jetty child's client idle timeout; counts failed first requests),
 * {@code --thread-cpu} (Linux: each child reports the CPU time of each of its threads from
 * /proc/self/task/N/schedstat just before it exits; prints the mean per thread group and arm),
 * {@code --root=repo}.
 */
public final class StartupBench {
  private static final Pattern INSTALLED = Pattern.compile("installed in ([0-9.]+) ms");
  private static final Pattern CPU = Pattern.compile("H2FIX-CPU ([0-9.]+) ([0-9.]+)");
  private static final Pattern THREAD = Pattern.compile("(?m)^H2FIX-THREAD (\\S+) (\\d+)$");
  private static final List<String> THREAD_GROUPS = List.of("main", "JIT", "GC", "h2fix-init", "other");
  /** GNU time, when present: the child's CPU time (user + sys), less sensitive to a busy machine than wall time. */
  private static final String TIME = Files.isExecutable(Path.of("/usr/bin/time")) ? "/usr/bin/time" : null;

  public static void main(String[] argv) throws Exception {
    Map<String, String> agents = new LinkedHashMap<>();
    String workload = "hello";
    int runs = 20;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long jettyIdleMs = 0;
    Path root = Path.of(".").toAbsolutePath().normalize();
    boolean noopAgent = false;
    boolean threadCpu = false;
    for (String a : argv) {
      if (a.startsWith("--workload=")) {
        workload = a.substring(11);
      } else if (a.startsWith("--runs=")) {
        runs = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("--agent=")) {
        String[] kv = a.substring(8).split("=", 2);
        agents.put(kv[0], Path.of(kv[1]).toAbsolutePath().toString());
      } else if (a.startsWith("--java=")) {
        java = a.substring(7);
      } else if (a.startsWith("--jetty-idle-ms=")) {
        jettyIdleMs = Long.parseLong(a.substring(16));
      } else if (a.equals("--noop-agent")) {
        noopAgent = true;
      } else if (a.equals("--thread-cpu")) {
        threadCpu = true;
      } else if (a.startsWith("--root=")) {
        root = Path.of(a.substring(7)).toAbsolutePath().normalize();
      } else {
        throw new IllegalArgumentException("unknown option " + a + "; valid: --workload= --runs= --agent=name=path --noop-agent --thread-cpu --java= --jetty-idle-ms= --root=");
      }
    }
    if (!List.of("hello", "okhttp", "jetty").contains(workload)) {
      throw new IllegalArgumentException("--workload must be hello, okhttp or jetty, not " + workload);
    }
    Path work = Files.createTempDirectory("h2fix-startup-bench");
    String libs = workload.equals("hello") ? "" : jars(root, workload.equals("okhttp") ? "okhttp-5.5.1" : "jetty-12.1.14");
    compileChildren(work, libs);
    if (noopAgent) {
      agents.put("noop-transformer", noopAgentJar(work).toString());
    }
    String cp = work + (libs.isEmpty() ? "" : ":" + libs);

    Process bench = null;
    String port = "0";
    if (!workload.equals("hello")) {
      Path demo = root.resolve("it-tests/target/h2fix-chaos.jar");
      bench = new ProcessBuilder(java, "-cp", demo.toString(), "dev.h2fix.bench.BenchServerMain")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader r = new BufferedReader(new InputStreamReader(bench.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      if (line == null || !line.startsWith("BENCH ")) {
        throw new IllegalStateException("bench server did not start: " + line);
      }
      Matcher m = Pattern.compile("h2cDirect=(\\d+)").matcher(line);
      m.find();
      port = m.group(1);
    }

    List<String> arms = new ArrayList<>();
    arms.add("none");
    arms.addAll(agents.keySet());
    Map<String, List<Double>> first = new LinkedHashMap<>();
    Map<String, List<Double>> exit = new LinkedHashMap<>();
    Map<String, List<Double>> premain = new LinkedHashMap<>();
    Map<String, Integer> failures = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, Map<String, Double>> threadCpuSums = new LinkedHashMap<>();
    for (String arm : arms) {
      threadCpuSums.put(arm, new LinkedHashMap<>());
      cpu.put(arm, new ArrayList<>());
      first.put(arm, new ArrayList<>());
      exit.put(arm, new ArrayList<>());
      premain.put(arm, new ArrayList<>());
      failures.put(arm, 0);
    }
    String main = switch (workload) {
      case "hello" -> "Hello";
      case "okhttp" -> "FirstOkHttp";
      default -> "FirstJetty";
    };
    try {
      // One warm-up round, not counted: page cache, CDS archive mapping.
      for (String arm : arms) {
        runOnce(java, agents.get(arm), cp, main, port, jettyIdleMs, threadCpu);
      }
      for (int i = 0; i < runs; i++) {
        List<String> order = new ArrayList<>(arms);
        Collections.rotate(order, i);
        for (String arm : order) {
          Result r = runOnce(java, agents.get(arm), cp, main, port, jettyIdleMs, threadCpu);
          r.threadCpuMs.forEach((group, ms) -> threadCpuSums.get(arm).merge(group, ms, Double::sum));
          if (r.firstMs >= 0) {
            first.get(arm).add(r.firstMs);
          } else if (!workload.equals("hello")) {
            failures.merge(arm, 1, Integer::sum);
          }
          exit.get(arm).add(r.exitMs);
          if (r.cpuMs >= 0) {
            cpu.get(arm).add(r.cpuMs);
          }
          if (r.premainMs >= 0) {
            premain.get(arm).add(r.premainMs);
          }
        }
      }
    } finally {
      if (bench != null) {
        bench.getOutputStream().close();
        bench.waitFor(10, TimeUnit.SECONDS);
        bench.destroyForcibly();
      }
    }
    System.out.printf("workload=%s runs=%d java=%s%s%n", workload, runs, java,
        jettyIdleMs > 0 ? " jettyIdleMs=" + jettyIdleMs : "");
    for (String arm : arms) {
      System.out.printf("%-10s cpu median %6.0f ms%s%n", arm, median(cpu.get(arm)),
          arm.equals("none") ? "" : String.format("  [added: cpu %+.0f ms]", median(cpu.get(arm)) - median(cpu.get("none"))));
    }
    for (String arm : arms) {
      System.out.printf("%-10s %s exit median %7.1f ms%s%s%n", arm,
          workload.equals("hello") ? "" : String.format("first response median %7.1f ms (n=%d, failed %d),",
              median(first.get(arm)), first.get(arm).size(), failures.get(arm)),
          median(exit.get(arm)),
          premain.get(arm).isEmpty() ? "" : String.format(", 'installed in' median %.1f ms", median(premain.get(arm))),
          arm.equals("none") ? "" : String.format("  [added: exit %+.1f ms%s]", median(exit.get(arm)) - median(exit.get("none")),
              workload.equals("hello") ? "" : String.format(", first response %+.1f ms",
                  median(first.get(arm)) - median(first.get("none")))));
    }
    if (threadCpu) {
      printThreadCpu(arms, threadCpuSums, runs);
    }
  }

  /** Mean CPU per run of each thread group; a thread that ended before the child's exit is not counted. */
  private static void printThreadCpu(List<String> arms, Map<String, Map<String, Double>> sums, int runs) {
    System.out.println("thread CPU, mean ms per run (threads that ended before exit, such as h2fix-log, are not counted):");
    StringBuilder head = new StringBuilder(String.format("  %-16s", "arm"));
    for (String g : THREAD_GROUPS) {
      head.append(String.format(" %10s", g));
    }
    System.out.println(head.append(String.format(" %10s", "total")));
    for (String arm : arms) {
      StringBuilder row = new StringBuilder(String.format("  %-16s", arm));
      double total = 0;
      for (String g : THREAD_GROUPS) {
        double ms = sums.get(arm).getOrDefault(g, 0.0) / runs;
        total += ms;
        row.append(String.format(" %10.1f", ms));
      }
      System.out.println(row.append(String.format(" %10.1f", total)));
    }
  }

  /** A thread's group by its Linux name (15 characters at most): the JIT, the GC, the main thread, h2fix's own. */
  private static String threadGroup(String name) {
    if (name.startsWith("C1_CompilerThre") || name.startsWith("C2_CompilerThre")) {
      return "JIT";
    }
    if (name.startsWith("GC_Thread") || name.startsWith("G1_")) {
      return "GC";
    }
    if (name.equals("java")) {
      return "main";
    }
    return name.equals("h2fix-init") ? name : "other";
  }

  private record Result(double firstMs, double exitMs, double premainMs, double cpuMs, Map<String, Double> threadCpuMs) {}

  private static Result runOnce(String java, String agent, String cp, String main, String port, long idleMs,
      boolean threadCpu) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (TIME != null) {
      cmd.addAll(List.of(TIME, "-f", "H2FIX-CPU %U %S"));
    }
    cmd.add(java);
    if (agent != null) {
      cmd.add("-javaagent:" + agent);
    }
    if (threadCpu) {
      cmd.add("-Dbench.threadCpu=true");
    }
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(main);
    cmd.add(port);
    cmd.add(Long.toString(idleMs));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> err = drain(p.getErrorStream());
    double firstMs = -1;
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("FIRST 200")) {
        firstMs = (System.nanoTime() - start) / 1e6;
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(main + " did not finish within 60 s");
    }
    double exitMs = (System.nanoTime() - start) / 1e6;
    String stderr = err.get(10, TimeUnit.SECONDS);
    Matcher m = INSTALLED.matcher(stderr);
    double premainMs = m.find() ? Double.parseDouble(m.group(1)) : -1;
    Matcher c = CPU.matcher(stderr);
    double cpuMs = c.find() ? (Double.parseDouble(c.group(1)) + Double.parseDouble(c.group(2))) * 1000 : -1;
    Map<String, Double> threads = new LinkedHashMap<>();
    for (Matcher t = THREAD.matcher(stderr); t.find(); ) {
      threads.merge(threadGroup(t.group(1)), Long.parseLong(t.group(2)) / 1000.0, Double::sum);
    }
    return new Result(firstMs, exitMs, premainMs, cpuMs, threads);
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String jars(Path root, String client) throws IOException {
    Path lib = root.resolve("it-tests/client-classpaths").resolve(client).resolve("target/lib");
    try (Stream<Path> s = Files.list(lib)) {
      return s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).collect(Collectors.joining(":"));
    }
  }

  /** The child programs: as small as possible, so that what differs between arms is h2fix. */
  private static void compileChildren(Path work, String libs) throws IOException {
    Files.writeString(work.resolve("Hello.java"),
        "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); ThreadCpu.dump(); } }\n");
    Files.writeString(work.resolve("ThreadCpu.java"), String.join("\n",
        "import java.io.File;",
        "import java.nio.file.Files;",
        "public class ThreadCpu {",
        "  /** With -Dbench.threadCpu=true, on Linux: one line per live thread, its name and CPU time in microseconds. */",
        "  public static void dump() {",
        "    File[] tasks = Boolean.getBoolean(\"bench.threadCpu\") ? new File(\"/proc/self/task\").listFiles() : null;",
        "    if (tasks == null) return;",
        "    for (File t : tasks) {",
        "      try {",
        "        String name = Files.readString(new File(t, \"comm\").toPath()).trim().replace(' ', '_');",
        "        String nanos = Files.readString(new File(t, \"schedstat\").toPath()).trim().split(\" \")[0];",
        "        System.err.println(\"H2FIX-THREAD \" + name + \" \" + Long.parseLong(nanos) / 1000);",
        "      } catch (Exception e) {",
        "        // the thread ended meanwhile",
        "      }",
        "    }",
        "  }",
        "}", ""));
    List<String> sources = new ArrayList<>(List.of(work.resolve("Hello.java").toString(), work.resolve("ThreadCpu.java").toString()));
    if (libs.contains("okhttp")) {
      Files.writeString(work.resolve("FirstOkHttp.java"), String.join("\n",
          "import java.util.List;",
          "import okhttp3.*;",
          "public class FirstOkHttp {",
          "  public static void main(String[] a) throws Exception {",
          "    OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();",
          "    Request request = new Request.Builder().url(\"http://127.0.0.1:\" + a[0] + \"/first\")",
          "        .header(\"x-h2fix-id\", \"first-\" + ProcessHandle.current().pid()).build();",
          "    try (Response r = client.newCall(request).execute()) {",
          "      r.body().bytes();",
          "      System.out.println(\"FIRST \" + r.code() + \" \" + r.protocol());",
          "    } catch (Exception e) {",
          "      System.out.println(\"FAILED \" + e);",
          "    }",
          "    System.out.flush();",
          "    ThreadCpu.dump();",
          "    System.exit(0);",
          "  }",
          "}", ""));
      sources.add(work.resolve("FirstOkHttp.java").toString());
    }
    if (libs.contains("jetty")) {
      Files.writeString(work.resolve("FirstJetty.java"), String.join("\n",
          "import java.util.concurrent.TimeUnit;",
          "import org.eclipse.jetty.client.*;",
          "import org.eclipse.jetty.http2.client.HTTP2Client;",
          "import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;",
          "public class FirstJetty {",
          "  public static void main(String[] a) throws Exception {",
          "    HTTP2Client h2 = new HTTP2Client();",
          "    long idle = Long.parseLong(a[1]);",
          "    HttpClientTransportOverHTTP2 transport = new HttpClientTransportOverHTTP2(h2);",
          "    HttpClient client = new HttpClient(transport);",
          "    if (idle > 0) { client.setIdleTimeout(idle); h2.setIdleTimeout(idle); }",
          "    client.start();",
          "    try {",
          "      ContentResponse r = client.newRequest(\"http://127.0.0.1:\" + a[0] + \"/first\")",
          "          .headers(h -> h.put(\"x-h2fix-id\", \"first-\" + ProcessHandle.current().pid()))",
          "          .timeout(20, TimeUnit.SECONDS).send();",
          "      System.out.println(\"FIRST \" + r.getStatus() + \" \" + r.getVersion());",
          "    } catch (Exception e) {",
          "      System.out.println(\"FAILED \" + e);",
          "    }",
          "    System.out.flush();",
          "    ThreadCpu.dump();",
          "    System.exit(0);",
          "  }",
          "}", ""));
      sources.add(work.resolve("FirstJetty.java").toString());
    }
    List<String> args = new ArrayList<>(List.of("-d", work.toString(), "-nowarn"));
    if (!libs.isEmpty()) {
      args.add("-cp");
      args.add(libs);
    }
    args.addAll(sources);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]));
    if (rc != 0) {
      throw new IllegalStateException("could not compile the child programs");
    }
  }

  /** A jar whose premain registers one ClassFileTransformer that returns null for every class. */
  private static Path noopAgentJar(Path work) throws IOException {
    Path src = work.resolve("noop");
    Files.createDirectories(src);
    Files.writeString(src.resolve("NoopAgent.java"), String.join("\n",
        "public class NoopAgent {",
        "  public static void premain(String a, java.lang.instrument.Instrumentation inst) {",
        "    inst.addTransformer(new java.lang.instrument.ClassFileTransformer() {",
        "      @Override public byte[] transform(ClassLoader l, String n, Class<?> c, java.security.ProtectionDomain d, byte[] b) {",
        "        return null;",
        "      }",
        "    }, true);",
        "  }",
        "}", ""));
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.toString(), src.resolve("NoopAgent.java").toString());
    if (rc != 0) {
      throw new IllegalStateException("could not compile the no-op agent");
    }
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", "NoopAgent");
    manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
    Path jar = work.resolve("noop-agent.jar");
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> classes = Files.list(src)) {
      for (Path c : (Iterable<Path>) classes.filter(p -> p.toString().endsWith(".class"))::iterator) {
        out.putNextEntry(new java.util.jar.JarEntry(c.getFileName().toString()));
        out.write(Files.readAllBytes(c));
        out.closeEntry();
      }
    }
    return jar;
  }
}
