package dev.h2fix.scenarios.jetty;

import dev.h2fix.runtime.Invalidations;
import dev.h2fix.scenarios.Report;
import dev.h2fix.scenarios.ScenarioArgs;
import dev.h2fix.scenarios.ScenarioMain;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * A Jetty HTTP/2 server and client in one JVM, sharing Jetty's {@code HTTP2Session} class. Each
 * iteration: the client opens a stream, the server sees it, the client drops the connection (its
 * endpoint closed: FIN). The server session tears down as stock Jetty does it: its stream callbacks
 * before its onClose, and h2fix must report no server session to its InvalidationListeners.
 *
 * <p>Args: --serverJars=path{:path} --iterations=n
 */
public final class ServerInSameJvm {
  public static void main(String[] argv) {
    ScenarioMain.run(argv, ServerInSameJvm::run);
  }

  private static void run(String[] argv) throws Exception {
    ScenarioArgs args = new ScenarioArgs(argv);
    Report report = new Report();
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    AtomicInteger invalidations = new AtomicInteger();
    int iterations = args.getInt("iterations");

    @SuppressWarnings("unchecked")
    Function<String, Object> server = (Function<String, Object>) serverLoader(args.get("serverJars"))
        .loadClass("dev.h2fix.scenarios.jetty.server.ServerSide").getConstructor(Map.class).newInstance(counts);
    int port = (Integer) server.apply("start");
    Invalidations.addListener(s -> invalidations.incrementAndGet());
    HTTP2Client client = new HTTP2Client();
    client.start();
    try {
      for (int i = 0; i < iterations; i++) {
        CountDownLatch[] latches = (CountDownLatch[]) server.apply("arm");
        Session session = client.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() {})
            .get(10, TimeUnit.SECONDS);
        MetaData.Request meta = new MetaData.Request(
            "POST", HttpURI.from("http://127.0.0.1:" + port + "/same-jvm"), HttpVersion.HTTP_2, HttpFields.build());
        session.newStream(new HeadersFrame(meta, null, false), new Promise<Stream>() {
          @Override
          public void succeeded(Stream stream) {}

          @Override
          public void failed(Throwable x) {
            report.add("client.streamFailed");
          }
        }, new Stream.Listener() {});
        if (!latches[0].await(10, TimeUnit.SECONDS)) {
          report.add("server.streamNotSeen");
          continue;
        }
        // The client drops the connection under the server's open stream.
        ((HTTP2Session) session).getEndPoint().close();
        if (!latches[1].await(10, TimeUnit.SECONDS)) {
          report.add("server.neverClosed");
        }
      }
    } finally {
      client.stop();
      server.apply("stop");
    }
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      report.add(e.getKey(), e.getValue().sum());
    }
    report.add("invalidations", invalidations.get()); // client sessions only: one per iteration
    report.agentState("jetty");
    report.print();
  }

  /** Child-first for the server-side scenario package, parent-first (shared Jetty) for the rest. */
  private static ClassLoader serverLoader(String jars) throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(ServerInSameJvm.class.getProtectionDomain().getCodeSource().getLocation());
    for (String jar : jars.split(File.pathSeparator)) {
      urls.add(new File(jar).toURI().toURL());
    }
    ClassLoader parent = ServerInSameJvm.class.getClassLoader();
    return new URLClassLoader(urls.toArray(new URL[0]), parent) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.h2fix.scenarios.jetty.server.")) {
          return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            c = findClass(name);
          }
          return c;
        }
      }
    };
  }
}
