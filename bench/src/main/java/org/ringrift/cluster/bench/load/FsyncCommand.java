package org.ringrift.cluster.bench.load;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The floor of a durable write on this disk: append a block to a file and fdatasync it
 * (FileChannel.force(false), what Ratis' log does), repeatedly, timing each pair.
 */
@Command(name = "fsync", mixinStandardHelpOptions = true,
    description = "Measures append + fdatasync latency of the disk under --dir (the floor of every durable ack).")
final class FsyncCommand implements Callable<Integer> {
  private static final int MAX_COUNT = 1_000_000;
  private static final long MAX_MICROS = 60_000_000L;

  @Spec CommandSpec spec;

  @Option(names = "--count", defaultValue = "2000", description = "Appends to time (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--block-bytes", defaultValue = "4096", description = "Bytes per append (default: ${DEFAULT-VALUE}).")
  int blockBytes;

  @Option(names = "--dir", description = "Directory on the disk to measure (default: java.io.tmpdir).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Rrbench.check("--count", count >= 1 && count <= MAX_COUNT, "1.." + MAX_COUNT);
    Rrbench.check("--block-bytes", blockBytes >= 1 && blockBytes <= Rrbench.MAX_PAYLOAD, "1.." + Rrbench.MAX_PAYLOAD);
    Path parent = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Path file = Files.createTempFile(parent, "rrbench-fsync-", ".bin");
    Histogram micros = new Histogram(MAX_MICROS, 3);
    ByteBuffer block = ByteBuffer.allocateDirect(blockBytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < count; i++) {
        block.clear();
        long began = System.nanoTime();
        while (block.hasRemaining()) {
          channel.write(block);
        }
        channel.force(false);
        micros.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - began) / 1000));
      }
    } finally {
      Files.deleteIfExists(file);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("append %d B + fdatasync, %d times in %s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms%n",
        blockBytes, count, parent, micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(90) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0, micros.getMean() / 1000.0);
    out.flush();
    return 0;
  }
}
