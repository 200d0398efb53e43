package org.ringrift.cluster.statemachine.store;

import java.nio.charset.StandardCharsets;

/** The RocksDB column families of the replicated state, in digest order. */
public enum Family {
  META("meta"),
  ITEMS("items"),
  READY("ready"),
  LEASES("leases"),
  IDEMPOTENCY("idempotency"),
  // (finished_ms, seq) of terminal items, oldest first: what retention prunes.
  TERMINAL("terminal"),
  NODES("nodes"),
  LEADERS("leaders"),
  SYNC("sync"),
  EVENTS("events"),
  CONFIG("config"),
  DAEMONS("daemons"),
  // Client sessions (exactly-once writes): session id -> SessionInfo.
  SESSIONS("sessions"),
  // (session id, seq) -> the CommandResult that write answered.
  SESSION_RESULTS("session_results"),
  // (last_active_ms, session id) -> empty: least recently active first, for expiry and eviction.
  SESSION_LRU("session_lru");

  private final String columnName;

  Family(String columnName) {
    this.columnName = columnName;
  }

  public String columnName() {
    return columnName;
  }

  byte[] columnNameBytes() {
    return columnName.getBytes(StandardCharsets.UTF_8);
  }
}
