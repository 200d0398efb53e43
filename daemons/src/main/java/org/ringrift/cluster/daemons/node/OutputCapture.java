package org.ringrift.cluster.daemons.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a subprocess stream to a log file, at most {@code maxFileBytes} of it, and keeps the last
 * {@code tailBytes} in memory for the result or error report: a chatty job cannot fill the disk.
 */
final class OutputCapture implements Runnable {
  private final InputStream in;
  private final Path file;
  private final long maxFileBytes;
  private final byte[] tail;
  private long total;

  OutputCapture(InputStream in, Path file, long maxFileBytes, int tailBytes) {
    this.in = in;
    this.file = file;
    this.maxFileBytes = maxFileBytes;
    this.tail = new byte[tailBytes];
  }

  static Thread start(InputStream in, Path file, long maxFileBytes, int tailBytes, String name, OutputCapture[] out) {
    OutputCapture capture = new OutputCapture(in, file, maxFileBytes, tailBytes);
    out[0] = capture;
    Thread thread = new Thread(capture, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in; OutputStream log = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        long room = maxFileBytes - total;
        if (room > 0) {
          log.write(buffer, 0, (int) Math.min(room, n));
          if (room < n) {
            log.write(("\n[output truncated at " + maxFileBytes + " bytes]\n").getBytes(StandardCharsets.UTF_8));
          }
        }
        remember(buffer, n);
      }
    } catch (IOException e) {
      // The process died or was killed: what was captured so far is all there is.
    }
  }

  private synchronized void remember(byte[] buffer, int n) {
    for (int i = 0; i < n; i++) {
      tail[(int) ((total + i) % tail.length)] = buffer[i];
    }
    total += n;
  }

  /** The last bytes written, as text. */
  synchronized String tail() {
    int size = (int) Math.min(total, tail.length);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = tail[(int) ((total - size + i) % tail.length)];
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
