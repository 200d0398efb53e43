package org.ringrift.cluster.daemons.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringrift.cluster.proto.DatasetManifest;

class ManifestBuilderTest {
  @TempDir Path dir;

  private static final long NOW = 1_000_000_000L;

  private ManifestBuilder builder(String spec, int maxFiles, Duration settle) {
    SyncSettings settings = new SyncSettings(dir, List.of(DatasetSpec.parse(spec)), maxFiles, settle, 65536,
        Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 3);
    return new ManifestBuilder(settings, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  private Path file(String path, String content, long mtimeMs) throws Exception {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMs));
    return file;
  }

  @Test
  void hashesAreRecomputedOnlyWhenSizeOrMtimeChange() throws Exception {
    ManifestBuilder builder = builder("games=selfplay-db:games/*.db", 100, Duration.ZERO);
    file("games/a.db", "aaaa", NOW - 5000);
    Path b = file("games/b.db", "bbbb", NOW - 5000);
    file("games/notes.txt", "not a db", NOW - 5000);
    file("games/.a.db.0123456789abcdef.part", "temp", NOW - 5000);

    DatasetManifest first = builder.scan().get(0);
    assertThat(first.getFilesList()).extracting(f -> f.getPath()).containsExactly("a.db", "b.db");
    assertThat(first.getFiles(0).getSha256()).isEqualTo(ManifestBuilder.sha256(dir.resolve("games/a.db")));
    assertThat(builder.hashedFiles()).isEqualTo(2);

    builder.scan();
    assertThat(builder.hashedFiles()).isEqualTo(2);

    Files.writeString(b, "BBBB"); // same size, new mtime
    Files.setLastModifiedTime(b, FileTime.fromMillis(NOW - 4000));
    DatasetManifest third = builder.scan().get(0);
    assertThat(builder.hashedFiles()).isEqualTo(3);
    assertThat(third.getFiles(1).getSha256()).isNotEqualTo(first.getFiles(1).getSha256());
    assertThat(ManifestBuilder.digest(List.of(third))).isNotEqualTo(ManifestBuilder.digest(List.of(first)));
  }

  @Test
  void filesStillBeingWrittenAndFilesBeyondTheLimitAreLeftOut() throws Exception {
    ManifestBuilder builder = builder("models=model:models", 2, Duration.ofSeconds(10));
    file("models/a.pt", "a", NOW - 60_000);
    file("models/sub/b.pt", "b", NOW - 60_000);
    file("models/c.pt", "c", NOW - 60_000);
    file("models/fresh.pt", "f", NOW - 1000);

    DatasetManifest manifest = builder.scan().get(0);
    assertThat(manifest.getFilesList()).extracting(f -> f.getPath()).containsExactly("a.pt", "c.pt");
    assertThat(manifest.getTruncated()).isTrue();
  }

  @Test
  void datasetSpecsAreParsedAndBadOnesRefusedClearly() {
    DatasetSpec spec = DatasetSpec.parse("npz=training-npz:train/npz/*.npz");
    assertThat(spec.root()).isEqualTo("train/npz");
    assertThat(spec.glob()).isEqualTo("*.npz");
    assertThatThrownBy(() -> DatasetSpec.parse("x=video:v")).hasMessageContaining("kind 'video'");
    assertThatThrownBy(() -> DatasetSpec.parse("x=model:../etc")).hasMessageContaining("without '..'");
    assertThatThrownBy(() -> DatasetSpec.parse("models")).hasMessageContaining("NAME=KIND:PATTERN");
  }
}
