package org.ringrift.cluster.statemachine.features;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the build this binary came from (the Maven project version), for status and heartbeats. */
public final class BuildVersion {
  private static final String VERSION = load();

  private BuildVersion() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
