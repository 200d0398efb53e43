package org.ringrift.cluster.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files, from the jar: the page and its script under {@code console/}, and the
 * chart library from its webjar under {@code /console/lib/}. Names are checked against a plain
 * pattern, so no path leaves those two folders.
 */
final class ConsoleAssets {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,80}");
  private static final String UPLOT = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
  private final String uplotDir;

  ConsoleAssets() {
    this.uplotDir = "META-INF/resources/webjars/uplot/" + webjarVersion() + "/dist/";
  }

  /** The file for a request path, or empty. {@code /} is the page. */
  Optional<Asset> find(String path) {
    if (path.equals("/") || path.equals("/index.html")) {
      return load("console/index.html");
    }
    if (path.startsWith("/console/lib/")) {
      String name = path.substring("/console/lib/".length());
      return NAME.matcher(name).matches() ? load(uplotDir + name) : Optional.empty();
    }
    if (path.startsWith("/console/")) {
      String name = path.substring("/console/".length());
      return NAME.matcher(name).matches() ? load("console/" + name) : Optional.empty();
    }
    return Optional.empty();
  }

  private Optional<Asset> load(String resource) {
    return cache.computeIfAbsent(resource, r -> {
      try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(r)) {
        return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(), contentType(r)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read console asset " + r, e);
      }
    });
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    return "application/octet-stream";
  }

  private static String webjarVersion() {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(UPLOT)) {
      if (in == null) {
        throw new IllegalStateException("the uPlot webjar is not on the class path (" + UPLOT + ")");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + UPLOT, e);
    }
  }
}
