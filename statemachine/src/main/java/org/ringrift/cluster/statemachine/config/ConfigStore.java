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
    ConfigKey key = require(name, false);
    byte[] raw = batch.get(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8));
    return raw == null ? key.defaultValue() : Bytes.decodeLong(raw);
  }

  public String getText(String name) {
    ConfigKey key = require(name, true);
    byte[] raw = batch.get(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8));
    return raw == null ? key.textDefault() : new String(raw, StandardCharsets.UTF_8);
  }

  /** The effective value as text, whatever the key's type. */
  public String display(ConfigKey key) {
    return key.isText() ? getText(key.name()) : Long.toString(get(key.name()));
  }

  public boolean isSet(String name) {
    return batch.get(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8)) != null;
  }

  void put(String name, long value) {
    batch.put(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8), Bytes.encodeLong(value));
  }

  void putText(String name, String value) {
    batch.put(Family.CONFIG, name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  private static ConfigKey require(String name, boolean text) {
    ConfigKey key = ConfigSchema.key(name).orElseThrow(() -> new IllegalArgumentException("no config key " + name));
    if (key.isText() != text) {
      throw new IllegalArgumentException("config key " + name + " is " + (key.isText() ? "text" : "an integer"));
    }
    return key;
  }
}
