package dev.h2fix.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A throw-away self-signed certificate for CN=localhost, SAN ip:127.0.0.1 and dns:localhost, in a
 * PKCS12 keystore made by the running JDK's {@code keytool}. JDK types only, so a forked client JVM
 * can {@link #load} it from the keystore path and password it was given and trust it.
 */
public final class SelfSignedCertificate {
  public static final String ALIAS = "h2fix-bench";
  public static final String KEYSTORE_TYPE = "PKCS12";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final Path keystore;
  private final String password;
  private final X509Certificate certificate;
  private final Path ownedDir; // deleted by delete(); null when loaded from elsewhere

  private SelfSignedCertificate(Path keystore, String password, Path ownedDir) throws IOException {
    this.keystore = keystore;
    this.password = password;
    this.ownedDir = ownedDir;
    this.certificate = readCertificate(keystore, password);
  }

  /** Generates a new keystore in a fresh temporary directory. */
  public static SelfSignedCertificate create() throws IOException {
    Path dir = Files.createTempDirectory("h2fix-bench-tls");
    try {
      return create(dir, dir);
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** Generates a new keystore in {@code dir} (which the caller owns). */
  public static SelfSignedCertificate create(Path dir) throws IOException {
    return create(dir, null);
  }

  private static SelfSignedCertificate create(Path dir, Path ownedDir) throws IOException {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    Path keystore = dir.resolve("bench.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = List.of(keytool.toString(), "-genkeypair",
        "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-validity", "2", "-storetype", KEYSTORE_TYPE,
        "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      process.getOutputStream().close();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends when keytool exits
      }
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("keytool did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("keytool failed (" + process.exitValue() + "): " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    } finally {
      process.destroyForcibly();
    }
    return new SelfSignedCertificate(keystore, password, ownedDir);
  }

  /** Loads an existing keystore, e.g. in a forked client JVM given the path and password. */
  public static SelfSignedCertificate load(Path keystore, String password) throws IOException {
    return new SelfSignedCertificate(keystore, password, null);
  }

  public Path keystorePath() {
    return keystore;
  }

  public String password() {
    return password;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A trust manager that trusts exactly this certificate. */
  public X509TrustManager trustManager() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(ALIAS, certificate);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build trust manager", e);
    }
  }

  /** A client TLS context trusting this certificate. */
  public SSLContext clientSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build client SSLContext", e);
    }
  }

  /** Deletes the temporary directory if this instance created it. */
  public void delete() {
    if (ownedDir != null) {
      deleteTree(ownedDir);
    }
  }

  private static X509Certificate readCertificate(Path keystore, String password) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance(KEYSTORE_TYPE);
      store.load(in, password.toCharArray());
      if (!(store.getCertificate(ALIAS) instanceof X509Certificate certificate)) {
        throw new IOException("no X.509 certificate under alias " + ALIAS + " in " + keystore);
      }
      return certificate;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read keystore " + keystore, e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp dir
    }
  }
}
