package org.ringrift.cluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/rrctl as a process, without a cluster: the build's start-up archive, the launcher without
 * it, and one error line where the gRPC library used to print a stack trace.
 */
class RrctlLauncherIT {
  private static final Path TARGET = ProcessCluster.REPO.resolve("cli/target");

  @TempDir Path dir;

  @Test
  void thePackageMakesAStartUpArchiveForThisJdk() throws Exception {
    assertThat(TARGET.resolve("rrctl.jsa")).isRegularFile();
    assertThat(Files.size(TARGET.resolve("rrctl.jsa"))).isGreaterThan(1_000_000);
    assertThat(Files.readString(TARGET.resolve("rrctl.jsa.jdk"))).startsWith(
        Path.of(System.getProperty("java.home")).toRealPath().toString());
    RrctlProcess.Result version = RrctlProcess.run("--version");
    assertThat(version.exitCode()).as(version.err()).isZero();
    assertThat(version.out()).contains("rrctl 0.1.0");
    assertThat(version.err()).isEmpty();
  }

  @Test
  void theLauncherWorksWithoutTheArchiveAndIgnoresOneMadeByAnotherJdk() throws Exception {
    RrctlProcess.Result missing = RrctlProcess.run(Map.of("RRCTL_CDS_ARCHIVE", dir.resolve("none.jsa").toString()),
        "--version");
    assertThat(missing.exitCode()).as(missing.err()).isZero();
    assertThat(missing.out()).contains("rrctl 0.1.0");
    // An archive of another JDK (here: a truncated copy, which would crash the JVM if mapped) is skipped.
    Path other = dir.resolve("other.jsa");
    Files.write(other, java.util.Arrays.copyOf(Files.readAllBytes(TARGET.resolve("rrctl.jsa")), 100_000));
    Files.writeString(dir.resolve("other.jsa.jdk"), "/usr/lib/jvm/some-other-jdk 1 2\n");
    RrctlProcess.Result foreign = RrctlProcess.run(Map.of("RRCTL_CDS_ARCHIVE", other.toString()), "--version");
    assertThat(foreign.exitCode()).as(foreign.err()).isZero();
    assertThat(foreign.err()).isEmpty();
  }

  @Test
  void anUnknownHostIsOneErrorLineAndTheStackTraceOnlyWithVerbose() throws Exception {
    RrctlProcess.Result plain = RrctlProcess.run("--endpoint", "nosuchhost.invalid:9770", "--timeout", "2s", "status");
    assertThat(plain.exitCode()).isEqualTo(3);
    assertThat(plain.err().lines().count()).as(plain.err()).isEqualTo(1);
    assertThat(plain.err()).startsWith("rrctl: ").contains("nosuchhost.invalid:9770");
    RrctlProcess.Result verbose = RrctlProcess.run("--endpoint", "nosuchhost.invalid:9770", "--timeout", "2s",
        "--verbose", "status");
    assertThat(verbose.exitCode()).isEqualTo(3);
    assertThat(verbose.err()).contains("\tat ");
    RrctlProcess.Result yaml = RrctlProcess.run("-o", "yaml", "status");
    assertThat(yaml.exitCode()).isEqualTo(2);
    assertThat(yaml.err().lines().count()).as(yaml.err()).isEqualTo(1);
    assertThat(yaml.out()).isEmpty();
  }
}
