package org.ringrift.cluster.statemachine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.statemachine.LogPosition;

/** Checksums are on: a corrupt table file is found when the store opens, and when a read meets it. */
class StateStoreCorruptionTest {
  private static final int KEYS = 2000;

  @TempDir Path dir;

  @Test
  void aCorruptTableFileIsFoundAtOpen() throws IOException {
    fill(dir);
    corruptLargestTable(dir);
    assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StoreCorruptException.class)
        .hasMessageContaining("state store at " + dir + " is corrupt");
  }

  @Test
  void aCorruptManifestIsFoundAtOpen() throws IOException {
    fill(dir);
    try (Stream<Path> files = Files.list(dir)) {
      Path manifest = files.filter(f -> f.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
      scribble(manifest, 0);
    }
    assertThatThrownBy(() -> StateStore.open(dir)).isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void aReadOfACorruptBlockFailsInsteadOfAnsweringWrongOrShort() throws IOException {
    fill(dir);
    try (StateStore store = StateStore.open(dir)) {
      corruptLargestTable(dir);
      assertThatThrownBy(() -> {
        for (int i = 0; i < KEYS; i++) {
          store.get(Family.ITEMS, key(i));
        }
      }).isInstanceOf(StoreCorruptException.class);
      assertThatThrownBy(store::digest).isInstanceOf(StoreCorruptException.class);
    }
  }

  @Test
  void anIntactStoreOpensAndDigestsAsBefore() {
    fill(dir);
    String before;
    try (StateStore store = StateStore.open(dir)) {
      before = store.digest().sha256Hex();
    }
    try (StateStore store = StateStore.open(dir)) {
      assertThat(store.digest().sha256Hex()).isEqualTo(before);
      assertThat(store.applied().index()).isEqualTo(KEYS);
    }
  }

  /** Writes enough that the store has table files once closed (close flushes). */
  private static void fill(Path dir) {
    try (StateStore store = StateStore.open(dir)) {
      for (int i = 0; i < KEYS; i++) {
        try (Batch batch = store.newBatch()) {
          batch.put(Family.ITEMS, key(i), ("value-" + i + "-").repeat(20).getBytes());
          store.commit(batch, new LogPosition(1, i + 1));
        }
      }
    }
  }

  private static byte[] key(int i) {
    return Bytes.encodeLong(i);
  }

  private static void corruptLargestTable(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Path table = files.filter(f -> f.toString().endsWith(".sst"))
          .max(Comparator.comparingLong(StateStoreCorruptionTest::size)).orElseThrow();
      scribble(table, size(table) / 3);
    }
  }

  private static void scribble(Path file, long at) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(at);
      byte[] junk = new byte[64];
      java.util.Arrays.fill(junk, (byte) 0x5a);
      raf.write(junk);
      raf.getFD().sync();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
