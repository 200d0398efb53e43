package org.ringrift.cluster.statemachine.config;

import java.util.ArrayList;
import java.util.List;
import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.ConfigEntry;
import org.ringrift.cluster.proto.GetConfigRequest;
import org.ringrift.cluster.proto.GetConfigResult;
import org.ringrift.cluster.proto.SetConfigRequest;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.store.Batch;

/** Setting and reading the replicated runtime config. */
public final class ConfigCommands {
  private static final int MAX_TEXT = 256;
  /** Stateless check: the key exists and the value is an integer in its range (or passes a text key's check). */
  public long check(SetConfigRequest request) {
    ConfigKey key = ConfigSchema.key(request.getKey()).orElseThrow(() -> Rejections.invalid("key",
        "unknown config key '" + abbreviate(request.getKey()) + "'; rrctl config get lists the keys"));
    if (key.isText()) {
      if (request.getValue().length() > MAX_TEXT) {
        throw Rejections.invalid("value", "length " + request.getValue().length() + " is over the limit of " + MAX_TEXT);
      }
      key.textCheck().accept(request.getValue().trim());
      return 0;
    }
    long value;
    try {
      value = Long.parseLong(request.getValue().trim());
    } catch (NumberFormatException e) {
      throw Rejections.invalid("value", "'" + abbreviate(request.getValue()) + "' is not an integer");
    }
    if (value < key.min() || value > key.max()) {
      throw Rejections.invalid("value", key.name() + " = " + value + " is out of range " + key.min() + "-" + key.max());
    }
    return value;
  }

  public ConfigEntry set(ApplyContext ctx, SetConfigRequest request) {
    long value = check(request);
    ConfigKey key = ConfigSchema.key(request.getKey()).orElseThrow();
    if (key.isText()) {
      ctx.config().putText(request.getKey(), request.getValue().trim());
    } else {
      ctx.config().put(request.getKey(), value);
    }
    ctx.events().append(EventTypes.CONFIG_CHANGED, request.getKey(), request.getKey() + " = " + ctx.config().display(key));
    return entry(ctx.config(), ConfigSchema.key(request.getKey()).orElseThrow());
  }

  public GetConfigResult get(Batch view, GetConfigRequest request) {
    ConfigStore store = new ConfigStore(view);
    List<ConfigEntry> entries = new ArrayList<>();
    if (!request.getKey().isEmpty()) {
      ConfigKey key = ConfigSchema.key(request.getKey()).orElseThrow(() -> Rejections.notFound("key",
          "unknown config key '" + abbreviate(request.getKey()) + "'"));
      entries.add(entry(store, key));
    } else {
      for (ConfigKey key : ConfigSchema.all()) {
        entries.add(entry(store, key));
      }
    }
    return GetConfigResult.newBuilder().addAllEntries(entries).build();
  }

  private static ConfigEntry entry(ConfigStore store, ConfigKey key) {
    String value = store.display(key);
    String defaultValue = key.isText() ? key.textDefault() : Long.toString(key.defaultValue());
    return ConfigEntry.newBuilder().setKey(key.name()).setValue(value)
        .setIsDefault(!store.isSet(key.name()) || value.equals(defaultValue))
        .setDescription(key.description()).build();
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
