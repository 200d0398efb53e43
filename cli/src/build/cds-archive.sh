#!/usr/bin/env bash
# Package step of the cli module: a training run of rrctl (CdsTraining) writes a class-data-sharing
# archive that bin/rrctl maps at start-up, so a call does not parse and verify ~4000 classes anew.
# Usage: cds-archive.sh JAVA_HOME TARGET_DIR. Writes TARGET_DIR/rrctl.jsa and rrctl.jsa.jdk (which JDK
# made it: bin/rrctl uses the archive only with that JDK). The archive is renamed into place only
# when complete, since the JVM can crash on a truncated one.
set -euo pipefail
java_home="$1"
target="$2"
rm -f "$target/rrctl.jsa" "$target/rrctl.jsa.jdk" "$target/rrctl.jsa.tmp"
# The class path must be spelled exactly as bin/rrctl spells it, or the JVM ignores the archive.
"$java_home/bin/java" -XX:ArchiveClassesAtExit="$target/rrctl.jsa.tmp" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \
  -Xlog:disable -Xlog:all=error:stderr -Dio.grpc.netty.shaded.io.netty.transport.noNative=true \
  -Dslf4j.provider=org.slf4j.nop.NOPServiceProvider -Dslf4j.internal.verbosity=WARN \
  -Dio.grpc.internal.DnsNameResolverProvider.enable_jndi=false -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled \
  -cp "$target/rrctl.jar:$target/lib/*" org.ringrift.cluster.cli.CdsTraining
mv "$target/rrctl.jsa.tmp" "$target/rrctl.jsa"
home="$(readlink -f "$java_home")"
echo "$home $(stat -c '%s %Y' "$home/lib/server/libjvm.so")" > "$target/rrctl.jsa.jdk"
