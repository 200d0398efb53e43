package org.ringrift.cluster.statemachine.config;

import java.nio.charset.StandardCharsets;
import org.ringrift.cluster.statemachine.store.Batch;
import org.ringrift.cluster.statemachine.store.Bytes;
import org.ringrift.cluster.statemachine.store.Family;

/** Effective config values: what was set, else the schema default. */
public final class ConfigStore {
  private final Batch batch;

  public ConfigStore(Batch batch) {
    this.batch = batch;
  }

  public long get(String name) {
    ConfigKey key = ConfigSchema.key(name).orElseThrow(() -> new IllegalArgumentException("no config key " + name));
    byte[] raw = batch.get(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8));
    return raw == null ? key.defaultValue() : Bytes.decodeLong(raw);
  }

  public boolean isSet(String name) {
    return batch.get(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8)) != null;
  }

  void put(String name, long value) {
    batch.put(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8), Bytes.encodeLong(value));
  }
}
