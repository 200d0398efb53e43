package org.ringrift.cluster.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.ringrift.cluster.raft.UnsafeTestHooks;

/**
 * Reads the deliberately broken builds the chaos harness uses from {@code -Dringrift.unsafe.*}
 * system properties. They are honoured only together with rrnode's {@code --unsafe-test-hooks}
 * flag given on the command line; a property without the flag, an unknown property or an unknown
 * value refuses to start, so that no typo or stray JVM option can break a node silently.
 */
final class UnsafeHookSwitches {
  static final String PREFIX = "ringrift.unsafe.";
  static final String FENCING = PREFIX + "fencing";
  static final String READS = PREFIX + "reads";
  static final String WRITES = PREFIX + "writes";

  private UnsafeHookSwitches() {}

  /** The hooks the properties ask for; {@code flagGiven}: --unsafe-test-hooks was on the command line. */
  static UnsafeTestHooks parse(Properties properties, boolean flagGiven) {
    boolean fencingOff = false;
    boolean readsDefault = false;
    boolean readsLocal = false;
    boolean sharedClient = false;
    List<String> named = new ArrayList<>();
    for (String name : properties.stringPropertyNames()) {
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      named.add(name);
      String value = properties.getProperty(name);
      if (name.equals(FENCING)) {
        fencingOff = require(name, value, "off");
      } else if (name.equals(READS)) {
        if (!"default".equals(value) && !"local".equals(value)) {
          throw new IllegalArgumentException("-D" + name + "=" + value + ": the accepted values are 'default' (Ratis "
              + "read option DEFAULT) and 'local' (every node answers from its own state)");
        }
        readsDefault = value.equals("default");
        readsLocal = value.equals("local");
      } else if (name.equals(WRITES)) {
        sharedClient = require(name, value, "shared-client");
      } else {
        throw new IllegalArgumentException("-D" + name + ": unknown unsafe test hook; known: " + FENCING + "=off, "
            + READS + "=default|local, " + WRITES + "=shared-client");
      }
    }
    if (!named.isEmpty() && !flagGiven) {
      throw new IllegalArgumentException("-D" + String.join(", -D", named.stream().sorted().toList())
          + " make a deliberately broken node for the chaos tests and are refused without --unsafe-test-hooks");
    }
    return new UnsafeTestHooks(fencingOff, readsDefault, readsLocal, sharedClient);
  }

  private static boolean require(String name, String value, String only) {
    if (!only.equals(value)) {
      throw new IllegalArgumentException("-D" + name + "=" + value + ": the only accepted value is '" + only + "'");
    }
    return true;
  }
}
