package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.WorkType;
import org.ringrift.cluster.statemachine.Rejections;

/** Field checks shared by the queue commands; each failure names the field and the limit. */
final class Validate {
  private Validate() {}

  /** A work type by its wire value, so that an unknown one is named in the error. */
  static WorkType workType(String field, int value) {
    WorkType type = WorkType.forNumber(value);
    if (type == null) {
      throw Rejections.invalid(field, "unknown work type " + value + ": one of " + WorkTypes.names());
    }
    if (type == WorkType.WORK_TYPE_UNSPECIFIED) {
      throw Rejections.invalid(field, "is required: one of " + WorkTypes.names());
    }
    return type;
  }

  /** An item's priority, as enqueue and set_priority take it: 0-100, higher first. */
  static int priority(String field, int value) {
    return range(field, value, 0, QueueKeys.MAX_PRIORITY);
  }

  static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw Rejections.invalid(field, value + " is out of range " + min + "-" + max);
    }
    return value;
  }

  static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw Rejections.invalid(field, value + " is out of range " + min + "-" + max);
    }
    return value;
  }

  static void maxBytes(String field, int size, int max) {
    if (size > max) {
      throw Rejections.invalid(field, size + " bytes is over the limit of " + max + " bytes");
    }
  }

  static void list(String field, java.util.List<String> values, int max) {
    if (values.size() > max) {
      throw Rejections.invalid(field, values.size() + " entries is over the limit of " + max);
    }
  }

  static void idList(String field, java.util.List<String> values, QueueLimits limits) {
    list(field, values, limits.maxListSize());
    for (String value : values) {
      id(field, value, limits.maxIdLength(), true);
    }
  }

  static String id(String field, String value, int maxLength, boolean required) {
    if (value.isEmpty()) {
      if (required) {
        throw Rejections.invalid(field, "is required");
      }
      return value;
    }
    if (value.length() > maxLength) {
      throw Rejections.invalid(field, "length " + value.length() + " is over the limit of " + maxLength);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw Rejections.invalid(field, "must be printable ASCII without spaces");
      }
    }
    return value;
  }
}
