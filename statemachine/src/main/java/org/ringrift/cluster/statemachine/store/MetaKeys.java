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
  /** Items completed since the cluster began: retention lowers the completed count, never this. */
  public static final byte[] COMPLETED_TOTAL = key("counter.completed");
  public static final byte[] NEXT_EVENT_SEQ = key("seq.event");
  public static final byte[] FIRST_EVENT_SEQ = key("events.first");
  public static final byte[] NEXT_SYNC_SEQ = key("seq.sync");
  public static final byte[] SYNC_COUNT = key("sync.count");
  public static final byte[] BACKPRESSURE_ACTIVE = key("queue.backpressure_active");
  public static final byte[] NEXT_SESSION_ID = key("seq.session");
  public static final byte[] SESSIONS_OPEN = key("sessions.open");
  public static final byte[] SESSION_RESULT_BYTES = key("sessions.result_bytes");
  public static final byte[] SESSION_DEDUPE_HITS = key("counter.session.dedupe_hits");
  public static final byte[] SESSIONS_EVICTED = key("counter.session.evicted");
  public static final byte[] SESSIONS_EXPIRED = key("counter.session.expired");
  public static final byte[] SESSIONS_CLOSED = key("counter.session.closed");
  public static final byte[] SESSION_EXPIRED_REJECTIONS = key("counter.session.rejected_expired");
  /** The cluster's feature level; absent means FeatureLevels.BASE. */
  public static final byte[] FEATURE_LEVEL = key("feature.level");
  /** The highest level of any command applied; absent means FeatureLevels.BASE. */
  public static final byte[] FEATURE_MAX_USED = key("feature.max_used_level");
  /** The store's format version (StoreFormat); not state, so outside the digest like APPLIED. */
  public static final byte[] STORE_FORMAT = key("store.format");

  private MetaKeys() {}

  public static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
