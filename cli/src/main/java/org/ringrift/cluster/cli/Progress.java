package org.ringrift.cluster.cli;

import java.io.PrintWriter;

/**
 * One self-overwriting status line on stderr for operations that take a while. Only for a person
 * at a terminal: with json output, or when stdout/stderr are not a terminal, it prints nothing, so
 * scripts see exactly the documented output.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean enabled;
  private int lastWidth;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** Progress is shown with table output on an interactive terminal only. */
  static boolean wanted(boolean json, boolean terminal) {
    return !json && terminal;
  }

  boolean enabled() {
    return enabled;
  }

  void update(String message) {
    if (!enabled) {
      return;
    }
    String padded = message.length() < lastWidth ? message + " ".repeat(lastWidth - message.length()) : message;
    err.print("\r" + padded);
    err.flush();
    lastWidth = message.length();
  }

  /** Ends the status line, so what follows starts on a fresh one. */
  void done(String message) {
    if (!enabled) {
      return;
    }
    update(message);
    err.println();
    err.flush();
    lastWidth = 0;
  }
}
