package org.ringrift.cluster.node.guard;

import io.grpc.StatusRuntimeException;
import org.ringrift.cluster.contract.errors.ErrorKind;
import org.ringrift.cluster.contract.errors.Rejections;

/**
 * Checks of the admin fields that never reach the state machine (member ids and addresses, daemon
 * names, watch filters). Each failure names the field and the limit, and never echoes an
 * oversized value: a status description travels in a header the caller's header limit bounds.
 */
public final class EdgeChecks {
  /** Longest id, name or filter accepted at the admin edge. */
  public static final int MAX_NAME = 128;
  /** Longest host:port accepted (a DNS name is at most 253 characters). */
  public static final int MAX_ADDRESS = 260;
  /** Most characters of a caller's value quoted back in an error. */
  private static final int MAX_ECHO = 64;

  private EdgeChecks() {}

  /** Throws INVALID_ARGUMENT unless {@code value} is printable ASCII of at most {@code max} characters. */
  public static void text(String field, String value, int max, boolean required) {
    if (value.isEmpty() && required) {
      throw invalid(field + ": is required");
    }
    if (value.length() > max) {
      throw invalid(field + ": length " + value.length() + " is over the limit of " + max);
    }
    if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw invalid(field + ": must be printable ASCII without spaces");
    }
  }

  /** A caller's value for an error message: clipped, and with non-printable characters replaced. */
  public static String echo(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(value.length(), MAX_ECHO); i++) {
      char c = value.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return value.length() > MAX_ECHO ? out + "...(" + value.length() + " chars)" : out.toString();
  }

  private static StatusRuntimeException invalid(String message) {
    return Rejections.toStatus(ErrorKind.INVALID_ARGUMENT, message);
  }
}
