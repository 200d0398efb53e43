package org.ringrift.cluster.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for any generated protobuf message, driven by its descriptor: every field is
 * absent or set, to edge values, near-limit and over-limit sizes, unknown enum numbers, arbitrary
 * Unicode, and a pool of values that exist on the node (so some requests go past validation).
 */
final class MessageArbitraries {
  private static final int MAX_DEPTH = 3;
  /** Values that mean something on the fuzzed node: its id, its dataset and file, a sync id. */
  private static final List<String> KNOWN = List.of("n1", "models", "a.pt", "models/a.pt", "../n1/state",
      "/etc/passwd", "s-1", "it-1", "voter", "gpu", "selfplay", "queue.backpressure_pending", "events.max_history",
      "127.0.0.1:1", "n9=127.0.0.1:1", "model", "selfplay-db");

  private final Map<String, Arbitrary<? extends Message>> cache = new HashMap<>();
  private final int hugeBytes;

  /** {@code hugeBytes}: the size of the rare value meant to exceed the node's message limit. */
  MessageArbitraries(int hugeBytes) {
    this.hugeBytes = hugeBytes;
  }

  @SuppressWarnings("unchecked")
  <M extends Message> Arbitrary<M> of(M prototype) {
    return (Arbitrary<M>) message(prototype, 0, false);
  }

  /** {@code small}: inside a repeated field, where big values times many entries would only fill the heap. */
  private Arbitrary<? extends Message> message(Message prototype, int depth, boolean small) {
    String key = prototype.getDescriptorForType().getFullName() + "@" + depth + "/" + small;
    Arbitrary<? extends Message> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    List<Arbitrary<Consumer<Message.Builder>>> fields = new ArrayList<>();
    for (FieldDescriptor field : prototype.getDescriptorForType().getFields()) {
      fields.add(field(prototype, field, depth, small));
    }
    Arbitrary<? extends Message> built = fields.isEmpty() ? Arbitraries.just(prototype)
        : Combinators.combine(fields).as(setters -> {
          Message.Builder builder = prototype.newBuilderForType();
          setters.forEach(s -> s.accept(builder));
          return builder.build();
        });
    cache.put(key, built);
    return built;
  }

  private Arbitrary<Consumer<Message.Builder>> field(Message prototype, FieldDescriptor field, int depth,
      boolean small) {
    Consumer<Message.Builder> absent = b -> { };
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH) {
      return Arbitraries.just(absent);
    }
    Arbitrary<Object> value = value(prototype, field, depth, small || field.isRepeated());
    Arbitrary<Consumer<Message.Builder>> present;
    if (field.isRepeated()) {
      Arbitrary<Integer> count = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.integers().between(1, 3)),
          Tuple.of(1, Arbitraries.integers().between(30, 130)));
      present = count.flatMap(n -> value.list().ofSize(n)).map(values -> b -> values.forEach(
          v -> b.addRepeatedField(field, v)));
    } else {
      present = value.map(v -> b -> b.setField(field, v));
    }
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(absent)), Tuple.of(2, present));
  }

  private Arbitrary<Object> value(Message prototype, FieldDescriptor field, int depth, boolean small) {
    return switch (field.getJavaType()) {
      case INT -> Arbitraries.frequencyOf(
          Tuple.of(2, Arbitraries.of(0, 1, -1, 2, 10, 11, 100, 101, 500, 501, 1000, 1001, 1 << 20, (1 << 20) + 1,
              Integer.MIN_VALUE, Integer.MAX_VALUE)),
          Tuple.of(1, Arbitraries.integers())).map(v -> (Object) v);
      case LONG -> Arbitraries.frequencyOf(
          Tuple.of(2, Arbitraries.of(0L, 1L, -1L, 99L, 100L, 999L, 1000L, 120_000L, 120_001L, 3_600_000L,
              86_400_000L, 86_400_001L, 604_800_001L, Long.MIN_VALUE, Long.MAX_VALUE)),
          Tuple.of(1, Arbitraries.longs())).map(v -> (Object) v);
      case FLOAT -> Arbitraries.floats().map(v -> (Object) v);
      case DOUBLE -> Arbitraries.doubles().map(v -> (Object) v);
      case BOOLEAN -> Arbitraries.of(true, false).map(v -> (Object) v);
      case STRING -> strings(small).map(v -> (Object) v);
      case BYTE_STRING -> bytes(small).map(v -> (Object) v);
      case ENUM -> Arbitraries.integers().between(-1, field.getEnumType().getValues().size() + 2)
          .map(n -> (Object) field.getEnumType().findValueByNumberCreatingIfUnknown(n));
      case MESSAGE -> message(prototype.newBuilderForType().newBuilderForField(field).getDefaultInstanceForType(),
          depth + 1, small).map(v -> (Object) v);
    };
  }

  private Arbitrary<String> strings(boolean small) {
    Arbitrary<String> known = Arbitraries.of(KNOWN);
    Arbitrary<String> shortAny = Arbitraries.strings().ofMaxLength(24);
    Arbitrary<String> longPrintable = Arbitraries.strings().withCharRange('!', '~').ofMinLength(120).ofMaxLength(600);
    Arbitrary<String> odd = Arbitraries.of("\u0000", "\n", "a b", "\u202e", "\uD800", "%s%n", "${jndi:x}", "é", "🙂");
    if (small) {
      return Arbitraries.frequencyOf(Tuple.of(30, known), Tuple.of(30, shortAny), Tuple.of(5, longPrintable),
          Tuple.of(5, odd));
    }
    return Arbitraries.frequencyOf(Tuple.of(30, known), Tuple.of(30, shortAny), Tuple.of(10, longPrintable),
        Tuple.of(5, odd),
        Tuple.of(3, Arbitraries.of(4095, 4096, 4097, 65_535, 65_536, 65_537, 100_000).map("x"::repeat)),
        Tuple.of(1, Arbitraries.just(hugeBytes).map("h"::repeat)));
  }

  private Arbitrary<ByteString> bytes(boolean small) {
    Arbitrary<ByteString> shortAny = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(ByteString::copyFrom);
    if (small) {
      return shortAny;
    }
    return Arbitraries.frequencyOf(Tuple.of(30, shortAny),
        Tuple.of(5, Arbitraries.of(65_535, 65_536, 65_537, 1 << 20).map(n -> ByteString.copyFrom(new byte[n]))),
        Tuple.of(1, Arbitraries.just(hugeBytes).map(n -> ByteString.copyFrom(new byte[n]))));
  }
}
