package org.ringrift.cluster.client;

import io.grpc.Metadata;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This client's session in the replicated state: every write gets the next sequence number and
 * keeps it on every resend, so the state machine applies it once and answers a resend with the
 * stored result. {@code acked_below} tells the cluster which results this client no longer needs:
 * every seq below the oldest write still in flight.
 */
final class ClientSession {
  /** The session, its write's sequence number and the lowest seq still needed; on every write of a session. */
  static final Metadata.Key<String> SESSION_ID = Metadata.Key.of("rr-session-id", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> SEQ = Metadata.Key.of("rr-session-seq", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> ACKED_BELOW =
      Metadata.Key.of("rr-session-acked-below", Metadata.ASCII_STRING_MARSHALLER);

  private final long id;
  private final AtomicLong nextSeq = new AtomicLong(1);
  private final ConcurrentSkipListSet<Long> inFlight = new ConcurrentSkipListSet<>();

  ClientSession(long id) {
    this.id = id;
  }

  long id() {
    return id;
  }

  /** Takes the next sequence number for a new write; pair with {@link #finish}. */
  long begin() {
    long seq = nextSeq.getAndIncrement();
    inFlight.add(seq);
    return seq;
  }

  /** The write is answered (or given up): its result is no longer needed. */
  void finish(long seq) {
    inFlight.remove(seq);
  }

  /** The headers of one attempt of write {@code seq}. */
  Metadata headers(long seq) {
    Metadata headers = new Metadata();
    headers.put(SESSION_ID, Long.toString(id));
    headers.put(SEQ, Long.toString(seq));
    Long oldest = inFlight.isEmpty() ? null : inFlight.first();
    headers.put(ACKED_BELOW, Long.toString(oldest == null ? nextSeq.get() : Math.min(oldest, seq)));
    return headers;
  }
}
