package org.ringrift.cluster.statemachine.queue;

import java.util.OptionalLong;
import org.ringrift.cluster.statemachine.Rejections;

/** Item ids are derived from the enqueue sequence, so every replica names an item the same way. */
public final class ItemIds {
  private static final String PREFIX = "w-";

  private ItemIds() {}

  public static String format(long seq) {
    return PREFIX + seq;
  }

  /** The sequence of a well-formed id; anything else is a rejection naming {@code field}. */
  public static long check(String field, String id) {
    if (id.isEmpty()) {
      throw Rejections.invalid(field, "is required");
    }
    OptionalLong seq = parse(id);
    if (seq.isEmpty()) {
      String shown = id.length() <= 40 ? id : id.substring(0, 40) + "...";
      throw Rejections.invalid(field, "'" + shown + "' is not an item id (w-<number>)");
    }
    return seq.getAsLong();
  }

  /** The sequence of a well-formed id, or empty. */
  public static OptionalLong parse(String id) {
    if (!id.startsWith(PREFIX) || id.length() == PREFIX.length() || id.length() > PREFIX.length() + 19
        || id.charAt(PREFIX.length()) == '0') {
      return OptionalLong.empty();
    }
    long seq = 0;
    for (int i = PREFIX.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      seq = seq * 10 + (c - '0');
      if (seq < 0) {
        return OptionalLong.empty();
      }
    }
    return seq > 0 ? OptionalLong.of(seq) : OptionalLong.empty();
  }
}
