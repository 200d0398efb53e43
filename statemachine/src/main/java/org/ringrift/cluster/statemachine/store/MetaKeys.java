package org.ringrift.cluster.statemachine.store;

import java.nio.charset.StandardCharsets;

/** Fixed keys of the meta family. */
public final class MetaKeys {
  public static final byte[] APPLIED = key("applied");
  public static final byte[] CLOCK_MS = key("clock_ms");
  public static final byte[] NEXT_ITEM_SEQ = key("seq.item");
  public static final byte[] NEXT_LEASE_SEQ = key("seq.lease");
  public static final byte[] STALE_TOKEN_REJECTIONS = key("counter.stale_token");
  public static final byte[] FENCED_REJECTIONS = key("counter.fenced");
  public static final byte[] LEASES_EXPIRED = key("counter.leases_expired");
  public static final byte[] NEXT_EVENT_SEQ = key("seq.event");
  public static final byte[] FIRST_EVENT_SEQ = key("events.first");
  public static final byte[] NEXT_SYNC_SEQ = key("seq.sync");
  public static final byte[] SYNC_COUNT = key("sync.count");
  public static final byte[] BACKPRESSURE_ACTIVE = key("queue.backpressure_active");

  private MetaKeys() {}

  public static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
