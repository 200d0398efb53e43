package org.ringrift.cluster.daemons;

import java.time.Duration;

/**
 * A daemon is a single-threaded loop: the manager calls {@link #tick} on the daemon's own thread,
 * every {@link #interval}. A tick that throws is a crash: the watchdog restarts the daemon with a
 * fresh instance after a backoff.
 */
public interface Daemon {
  void tick(DaemonContext context) throws Exception;

  Duration interval();

  /** Releases what the daemon holds (subprocesses, streams); called when it stops or crashes. */
  default void stop() {}
}
