package org.ringrift.cluster.daemons.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.ringrift.cluster.proto.FileChunk;
import org.ringrift.cluster.proto.ReadChunksRequest;
import org.ringrift.cluster.proto.SyncRecord;

/**
 * One pull of one file: into a temp file next to the target, resumed from what a previous
 * attempt left there, each chunk checked (offset, CRC32C) before it is written, the whole checked
 * against the planned SHA-256, then renamed over the target atomically. A corrupt, short or
 * failed transfer never touches the target file.
 */
public final class FileTransfer {
  /** Told about progress; returns false when the transfer should stop (its record was finished elsewhere). */
  public interface Progress {
    boolean report(long bytesDone) throws Exception;
  }

  /** How a transfer ended: done (with the offset it resumed from) or failed with an operator-readable error. */
  public record Outcome(boolean done, long resumedFrom, long bytesMoved, String error) {
    static Outcome failed(String error) {
      return new Outcome(false, 0, 0, error);
    }
  }

  /** A disk-space or write failure: not worth retrying against another source. */
  static final class LocalWriteException extends Exception {
    LocalWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final SyncSettings settings;
  private final ChunkSource source;
  private final TokenBucket throttle;
  private final LongSupplier nanoTime;
  private final java.util.function.BooleanSupplier stopped;

  public FileTransfer(SyncSettings settings, ChunkSource source, TokenBucket throttle, LongSupplier nanoTime,
      java.util.function.BooleanSupplier stopped) {
    this.settings = settings;
    this.source = source;
    this.throttle = throttle;
    this.nanoTime = nanoTime;
    this.stopped = stopped;
  }

  public static Path tempFor(Path target, String sha256) {
    return target.resolveSibling("." + target.getFileName() + "." + sha256.substring(0, 16) + ".part");
  }

  public Outcome run(SyncRecord task, Path target, String endpoint, Progress progress) throws Exception {
    Path temp = tempFor(target, task.getSha256());
    Files.createDirectories(target.getParent());
    long offset = Files.exists(temp) ? Files.size(temp) : 0;
    if (offset > task.getSizeBytes()) {
      Files.delete(temp);
      offset = 0;
    }
    long resumedFrom = offset;
    String space = checkSpace(target, task.getSizeBytes() - offset);
    if (space != null) {
      return Outcome.failed(space);
    }
    MessageDigest digest = Sha256.newDigest();
    hashPrefix(temp, offset, digest);
    if (!progress.report(offset)) {
      return Outcome.failed("stopped: the record was finished elsewhere");
    }
    int failures = 0;
    String lastError = "";
    long lastReport = nanoTime.getAsLong();
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (offset < task.getSizeBytes()) {
        if (stopped.getAsBoolean()) {
          return Outcome.failed("stopped: the sync executor is stopping");
        }
        if (failures > settings.maxStreamRetries()) {
          return Outcome.failed("gave up after " + failures + " stream failures from " + task.getSourceNode()
              + " at offset " + offset + ": " + lastError);
        }
        ReadChunksRequest request = ReadChunksRequest.newBuilder().setDataset(task.getDataset()).setFile(task.getFile())
            .setOffset(offset).setLength(task.getSizeBytes() - offset).setChunkBytes(settings.chunkBytes()).build();
        long before = offset;
        String roundError = null;
        try (ChunkSource.Stream stream = source.open(endpoint, request)) {
          while (offset < task.getSizeBytes() && !stopped.getAsBoolean() && stream.hasNext()) {
            FileChunk chunk = stream.next();
            roundError = check(chunk, offset, task.getSizeBytes());
            if (roundError != null) {
              break; // re-request from the last good offset
            }
            write(out, temp, chunk, offset);
            digest.update(chunk.getData().asReadOnlyByteBuffer());
            offset += chunk.getData().size();
            throttle.take(chunk.getData().size());
            if (nanoTime.getAsLong() - lastReport >= settings.progressInterval().toNanos()) {
              lastReport = nanoTime.getAsLong();
              if (!progress.report(offset)) {
                return Outcome.failed("stopped: the record was finished elsewhere");
              }
            }
          }
          if (roundError == null && offset == before && offset < task.getSizeBytes() && !stopped.getAsBoolean()) {
            roundError = "stream ended at offset " + offset + " of " + task.getSizeBytes() + " (short file at source)";
          }
        } catch (RuntimeException e) {
          // A broken stream (source stopped, network): resume from the last good offset.
          roundError = "stream from " + task.getSourceNode() + " broke at offset " + offset + ": "
              + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (roundError != null) {
          failures++;
          lastError = roundError;
          if (failures <= settings.maxStreamRetries()) {
            Thread.sleep(Math.min(2_000, 200L << Math.min(failures, 4)));
          }
        }
      }
      out.force(true);
    } catch (LocalWriteException e) {
      Files.deleteIfExists(temp);
      return Outcome.failed(e.getMessage());
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(task.getSha256())) {
      Files.deleteIfExists(temp);
      return Outcome.failed("sha256 mismatch for " + task.getFile() + ": planned " + task.getSha256() + ", received "
          + actual + "; the old file is kept");
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Outcome(true, resumedFrom, task.getSizeBytes() - resumedFrom, "");
  }

  private static String check(FileChunk chunk, long offset, long size) {
    if (chunk.getOffset() != offset) {
      return "chunk at offset " + chunk.getOffset() + " where " + offset + " was expected";
    }
    if (offset + chunk.getData().size() > size) {
      return "chunk at offset " + offset + " runs past the planned size " + size;
    }
    CRC32C crc = new CRC32C();
    crc.update(chunk.getData().asReadOnlyByteBuffer());
    if ((int) crc.getValue() != chunk.getCrc32C()) {
      return "corrupt chunk at offset " + offset + " (crc32c mismatch)";
    }
    return null;
  }

  private static void write(FileChannel out, Path temp, FileChunk chunk, long offset) throws LocalWriteException {
    try {
      ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
      long position = offset;
      while (data.hasRemaining()) {
        position += out.write(data, position);
      }
    } catch (IOException e) {
      throw new LocalWriteException("write to " + temp + " failed at offset " + offset + ": " + e.getMessage(), e);
    }
  }

  /** Null when the disk can take {@code needed} more bytes and keep the reserve, else the reason. */
  private String checkSpace(Path target, long needed) throws IOException {
    FileStore store = Files.getFileStore(target.getParent());
    long usable = store.getUsableSpace();
    if (usable - needed < settings.diskReserveBytes()) {
      return "not enough disk for " + target.getFileName() + ": needs " + needed + " bytes, " + usable
          + " usable, reserve " + settings.diskReserveBytes() + " bytes (--sync-disk-reserve-mb); the old file is kept";
    }
    return null;
  }

  private static void hashPrefix(Path temp, long length, MessageDigest digest) throws IOException {
    if (length == 0) {
      return;
    }
    byte[] buffer = new byte[1 << 16];
    long left = length;
    try (InputStream in = Files.newInputStream(temp)) {
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("temp file " + temp + " shrank while resuming");
        }
        digest.update(buffer, 0, n);
        left -= n;
      }
    }
  }
}
