package org.ringrift.cluster.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One process's CPU time, context switches and JIT compiler CPU at one moment, from /proc.
 *
 * <p>CPU is utime + stime of the whole thread group from /proc/PID/stat, which the JDK's
 * ProcessHandle reads and converts with sysconf(_SC_CLK_TCK) (100 Hz here, so 10 ms steps); it
 * includes threads that have exited. Context switches are voluntary + nonvoluntary from
 * /proc/PID/task/TID/status, per thread: /proc/PID/status counts only the main thread, and a
 * thread's count disappears with the thread (checked on kernel 6.18). Two samples are therefore
 * compared thread by thread, and the threads that ended in between are counted, because the
 * switches they made after the first sample are missing from the difference. JIT compiler CPU is
 * utime + stime (clock ticks) of HotSpot's "C1/C2 CompilerThreadN" threads (named "C2
 * CompilerThre" in /proc), from their /proc/PID/task/TID/stat: a JVM that still compiles is not
 * warm. etcd has no such threads.
 */
record ProcessSample(long cpuNanos, Map<Long, Long> switchesByThread, Map<Long, Long> compilerTicksByThread) {
  private static final String VOLUNTARY = "voluntary_ctxt_switches:";
  private static final String NONVOLUNTARY = "nonvoluntary_ctxt_switches:";
  private static final String NAME = "Name:";
  /** utime and stime are fields 14 and 15 of a stat line; these are their places after the ")". */
  private static final int UTIME_AFTER_COMM = 11;
  private static final int STIME_AFTER_COMM = 12;

  /** The process's sample, or empty when it is gone or /proc cannot be read. */
  static Optional<ProcessSample> read(ProcessHandle process) {
    Optional<Duration> cpu = process.info().totalCpuDuration();
    if (cpu.isEmpty()) {
      return Optional.empty();
    }
    Map<Long, Long> switches = new HashMap<>();
    Map<Long, Long> compiler = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        long tid = Long.parseLong(thread.getFileName().toString());
        Optional<String> status = readThreadFile(thread.resolve("status"));
        if (status.isEmpty()) {
          continue;
        }
        switches.put(tid, switches(status.get()));
        if (isCompilerThread(status.get())) {
          readThreadFile(thread.resolve("stat")).ifPresent(stat -> compiler.put(tid, cpuTicks(stat)));
        }
      }
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tasks, e);
    }
    return Optional.of(new ProcessSample(cpu.get().toNanos(), switches, compiler));
  }

  /** One thread's file; empty when the thread ended while the directory was listed. */
  private static Optional<String> readThreadFile(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (NoSuchFileException ended) {
      return Optional.empty();
    } catch (IOException e) {
      // A thread that exits between open and read fails the read with ESRCH.
      if (!Files.exists(file.getParent())) {
        return Optional.empty();
      }
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** voluntary + nonvoluntary context switches in the text of a /proc status file. */
  static long switches(String status) {
    long total = 0;
    int found = 0;
    for (String line : status.split("\n")) {
      if (line.startsWith(VOLUNTARY) || line.startsWith(NONVOLUNTARY)) {
        total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        found++;
      }
    }
    if (found != 2) {
      throw new IllegalStateException("a /proc status without " + VOLUNTARY + " and " + NONVOLUNTARY);
    }
    return total;
  }

  static boolean isCompilerThread(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith(NAME)) {
        String name = line.substring(NAME.length()).trim();
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
      }
    }
    return false;
  }

  /** utime + stime in clock ticks of a /proc stat line (the name in parentheses may hold spaces). */
  static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[UTIME_AFTER_COMM]) + Long.parseLong(fields[STIME_AFTER_COMM]);
  }

  /** What the process used from {@code before} to this sample. */
  NodeUsage since(ProcessSample before, String id) {
    long switches = 0;
    int started = 0;
    for (Map.Entry<Long, Long> thread : switchesByThread.entrySet()) {
      Long earlier = before.switchesByThread.get(thread.getKey());
      if (earlier == null) {
        started++;
      }
      switches += thread.getValue() - (earlier == null ? 0 : earlier);
    }
    int ended = 0;
    for (Long tid : before.switchesByThread.keySet()) {
      if (!switchesByThread.containsKey(tid)) {
        ended++;
      }
    }
    long compilerTicks = 0;
    for (Map.Entry<Long, Long> thread : compilerTicksByThread.entrySet()) {
      compilerTicks += thread.getValue() - before.compilerTicksByThread.getOrDefault(thread.getKey(), 0L);
    }
    return new NodeUsage(id, cpuNanos - before.cpuNanos, switches, started, ended,
        compilerTicks * ClockTicks.NANOS_PER_TICK);
  }
}
