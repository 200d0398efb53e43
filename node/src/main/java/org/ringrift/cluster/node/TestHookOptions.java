package org.ringrift.cluster.node;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import org.ringrift.cluster.raft.UnsafeTestHooks;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.features.FeatureSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** Chaos and upgrade tests only: deliberately broken builds, a shifted clock, a capped feature level. */
final class TestHookOptions {
  private static final Logger LOG = LoggerFactory.getLogger(TestHookOptions.class);

  @Option(names = "--unsafe-test-hooks", description = "Chaos tests only: allows -Dringrift.unsafe.* (deliberately "
      + "broken builds) and --clock-offset-file. Only honoured on the command line. Never use in production.")
  boolean unsafeTestHooks;

  @Option(names = "--clock-offset-file", paramLabel = "FILE", description = "Chaos tests only (needs "
      + "--unsafe-test-hooks): this node's clock is the system clock plus the milliseconds written in FILE.")
  Path clockOffsetFile;

  // Hidden: tests only. A capped node stands for the previous build in the rolling-upgrade test
  // (UpgradeIT): it applies and reports only feature levels up to the cap.
  @Option(names = "--test-max-feature-level", hidden = true, defaultValue = "0",
      description = "Tests only: cap the feature levels this node applies, to stand for an older build.")
  int testMaxFeatureLevel;

  /**
   * The deliberately broken builds asked for by -Dringrift.unsafe.* properties. Refused unless
   * --unsafe-test-hooks was typed on the command line (not taken from the environment or a
   * config file), and each one is logged at ERROR: a node running with one is not safe.
   */
  UnsafeTestHooks unsafeHooks(Properties properties, ParseResult parsed, String nodeId) {
    boolean flagTyped = unsafeTestHooks && parsed != null && parsed.hasMatchedOption("--unsafe-test-hooks");
    if (unsafeTestHooks && !flagTyped) {
      throw new IllegalArgumentException("--unsafe-test-hooks is only honoured on the command line, "
          + "not from the environment or a config file");
    }
    if (clockOffsetFile != null && !flagTyped) {
      throw new IllegalArgumentException("--clock-offset-file is a chaos test hook and needs --unsafe-test-hooks");
    }
    UnsafeTestHooks hooks = UnsafeHookSwitches.parse(properties, flagTyped);
    if (flagTyped) {
      LOG.error("node={} UNSAFE TEST HOOKS ENABLED: fencing_disabled={} linearizable_reads_disabled={} local_reads={} "
          + "shared_ordered_client={} clock_offset_file={}; this node is deliberately broken, for chaos tests only",
          nodeId, hooks.fencingDisabled(), hooks.linearizableReadsDisabled(), hooks.localReads(),
          hooks.sharedOrderedClient(), clockOffsetFile);
    }
    return hooks;
  }

  Clock clock() {
    return clockOffsetFile == null ? Clock.systemUTC()
        : new OffsetFileClock(Clock.systemUTC(), clockOffsetFile, System::nanoTime);
  }

  /** The feature levels this node applies: the build's, or fewer to stand for an older build. */
  FeatureSupport features(String nodeId) {
    FeatureSupport features = FeatureLevels.BUILD;
    if (testMaxFeatureLevel != 0) {
      features = features.capped(testMaxFeatureLevel);
      LOG.warn("node={} applies feature levels {} only (--test-max-feature-level): it stands for an older build, "
          + "for tests only", nodeId, features);
    }
    return features;
  }
}
