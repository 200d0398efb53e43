package org.ringrift.cluster.statemachine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.statemachine.LogPosition;

/**
 * A cursor with an end returns exactly the live keys in [from, below): committed ones and the
 * batch's own writes and deletes merged, nothing at or past the end even when live keys follow.
 */
class BoundedCursorTest {
  @TempDir Path dir;

  @Test
  void aBoundedCursorReturnsTheLiveKeysOfItsRangeOnly() {
    try (StateStore store = StateStore.open(dir)) {
      try (Batch batch = store.newBatch()) {
        for (String key : List.of("a1", "a2", "a3", "b1", "b2")) {
          batch.put(Family.ITEMS, bytes(key), bytes("v"));
        }
        store.commit(batch, new LogPosition(1, 1));
      }
      // Deleted keys right after the range (tombstones) and a live key past them.
      try (Batch batch = store.newBatch()) {
        batch.delete(Family.ITEMS, bytes("b1"));
        store.commit(batch, new LogPosition(1, 2));
      }
      try (Batch batch = store.newBatch()) {
        batch.delete(Family.ITEMS, bytes("a1"));
        batch.put(Family.ITEMS, bytes("a4"), bytes("v"));
        batch.put(Family.ITEMS, bytes("b0"), bytes("v"));

        assertThat(keys(batch, "a", "b")).containsExactly("a2", "a3", "a4");
        assertThat(keys(batch, "a3", "b1")).containsExactly("a3", "a4", "b0");
        assertThat(keys(batch, "b", "c")).containsExactly("b0", "b2");
        assertThat(keys(batch, "c", "d")).isEmpty();
      }
    }
  }

  private static List<String> keys(Batch batch, String from, String below) {
    List<String> keys = new ArrayList<>();
    try (Cursor cursor = batch.seek(Family.ITEMS, bytes(from), bytes(below))) {
      for (; cursor.valid(); cursor.next()) {
        keys.add(new String(cursor.key(), StandardCharsets.UTF_8));
      }
    }
    return keys;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
