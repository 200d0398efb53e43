package org.ringrift.cluster.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Times fdatasync on the data directory's file system, the way the Raft log uses it (append a
 * small record, force data). Run once at start: a disk whose fsync is a sizeable fraction of the
 * election timeout makes leaders miss heartbeats while they write.
 */
final class FsyncProbe {
  /** Enough samples for a median and a maximum, few enough to cost well under a second on a sane disk. */
  static final int SAMPLES = 20;
  private static final int RECORD_BYTES = 512;

  record Result(long p50Micros, long maxMicros, int samples) {}

  private FsyncProbe() {}

  static Result measure(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("fsync-probe.tmp");
    long[] micros = new long[SAMPLES];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
      for (int i = 0; i < SAMPLES; i++) {
        record.clear();
        channel.write(record);
        long start = System.nanoTime();
        channel.force(false);
        micros[i] = (System.nanoTime() - start) / 1000;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    Arrays.sort(micros);
    return new Result(micros[SAMPLES / 2], micros[SAMPLES - 1], SAMPLES);
  }
}
