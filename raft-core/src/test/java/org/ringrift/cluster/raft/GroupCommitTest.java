package org.ringrift.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batching rule of {@link GroupCommit}, with the Raft call replaced by a hand-completed future
 * (the edge of this unit): idle proposes at once, busy fills the next batch, limits hold.
 */
class GroupCommitTest {
  static final int KIB = 1024;
  /** Commands are strings of 1 KiB per character; a batch travels as its commands joined by ','; results echo them. */
  static final GroupCommit.Codec<String, String> CODEC = new GroupCommit.Codec<>() {
    @Override
    public int sizeBytes(String command) {
      return command.length() * KIB;
    }

    @Override
    public Message encode(List<String> commands) {
      return Message.valueOf(String.join(",", commands));
    }

    @Override
    public List<String> decode(RaftClientReply reply, int commands) {
      List<String> results = Arrays.asList(reply.getMessage().getContent().toString(StandardCharsets.UTF_8).split(","));
      assertThat(results).hasSize(commands);
      return results;
    }
  };

  record Proposal(List<String> commands, CompletableFuture<RaftClientReply> reply) {
    void answer() {
      reply.complete(RaftClientReply.newBuilder().setClientId(ClientId.randomId())
          .setServerId(RaftPeerId.valueOf("n1")).setGroupId(RaftGroupId.randomId())
          .setCallId(1).setSuccess(true).setMessage(Message.valueOf(String.join(",", commands))).build());
    }
  }

  final List<Proposal> proposals = new CopyOnWriteArrayList<>();
  final ReplicatedClient.RaftSend send = message -> {
    CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    proposals.add(new Proposal(List.of(message.getContent().toString(StandardCharsets.UTF_8).split(",")), reply));
    return reply;
  };
  GroupCommit<String, String> commit;

  @AfterEach
  void close() {
    if (commit != null) {
      commit.close();
    }
  }

  GroupCommit<String, String> start(int maxCommands, long maxBytes, int maxQueued, int maxInFlight) {
    commit = new GroupCommit<>(new GroupCommitSettings(maxCommands, maxBytes, maxQueued, maxInFlight, Duration.ZERO),
        CODEC, send, "n1");
    return commit;
  }

  @Test
  void anIdleNodeProposesAWriteAtOnceAlone() throws Exception {
    start(256, 4096 * KIB, 100, 1);

    CompletableFuture<String> result = commit.submit("a");

    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);
    assertThat(proposals.get(0).commands()).containsExactly("a");
    proposals.get(0).answer();
    assertThat(result.get()).isEqualTo("a");
  }

  @Test
  void writesThatArriveWhileABatchIsInFlightGoTogetherInTheNextInOrder() throws Exception {
    start(256, 4096 * KIB, 100, 1);
    CompletableFuture<String> first = commit.submit("a");
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);

    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (String c : List.of("b", "c", "d")) {
      waiting.add(commit.submit(c));
    }
    assertThat(commit.stats().queued()).isEqualTo(3);
    assertThat(proposals).hasSize(1);
    proposals.get(0).answer();

    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 2);
    assertThat(proposals.get(1).commands()).containsExactly("b", "c", "d");
    proposals.get(1).answer();
    assertThat(first.get()).isEqualTo("a");
    assertThat(waiting.stream().map(CompletableFuture::join)).containsExactly("b", "c", "d");
    long[] sizes = commit.stats().sizeHistogram();
    assertThat(sizes[0]).as("batches of 1").isEqualTo(1);
    assertThat(sizes[2]).as("batches of at most 4").isEqualTo(2);
  }

  @Test
  void aBatchHoldsAtMostItsCommandsAndBytes() throws Exception {
    start(2, 5 * KIB, 100, 1);
    commit.submit("x");
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);
    for (String c : List.of("a", "b", "c", "dddd", "e")) {
      commit.submit(c);
    }

    for (int answered = 0; answered < 3; answered++) {
      int next = answered + 1;
      proposals.get(answered).answer();
      await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == next + 1);
    }

    // Two commands at most, five bytes at most: "c"+"dddd" is exactly five.
    assertThat(proposals.stream().map(Proposal::commands).toList())
        .containsExactly(List.of("x"), List.of("a", "b"), List.of("c", "dddd"), List.of("e"));
  }

  @Test
  void aCommandLargerThanTheByteLimitGoesAlone() throws Exception {
    start(10, 3 * KIB, 100, 1);
    commit.submit("x");
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);
    commit.submit("aa");
    commit.submit("bbbbbb");
    commit.submit("c");

    proposals.get(0).answer();
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 2);
    proposals.get(1).answer();
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 3);
    proposals.get(2).answer();
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 4);

    assertThat(proposals.stream().map(Proposal::commands).toList())
        .containsExactly(List.of("x"), List.of("aa"), List.of("bbbbbb"), List.of("c"));
  }

  @Test
  void aFullQueueRefusesTheWriteWithBackpressureAndProposesNothingForIt() throws Exception {
    start(256, 4096 * KIB, 2, 1);
    commit.submit("a");
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);
    commit.submit("b");
    commit.submit("c");

    CompletableFuture<String> refused = commit.submit("d");

    assertThat(refused).isCompletedExceptionally();
    assertThat(kind(refused)).isEqualTo(RaftCallException.Kind.BACKPRESSURE);
    proposals.get(0).answer();
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 2);
    assertThat(proposals.get(1).commands()).containsExactly("b", "c");
  }

  @Test
  void aFailedBatchFailsItsOwnWritesOnlyAndTheNextOneGoes() throws Exception {
    start(256, 4096 * KIB, 100, 1);
    CompletableFuture<String> failed = commit.submit("a");
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);
    CompletableFuture<String> next = commit.submit("b");

    RaftCallException unknown = new RaftCallException(RaftCallException.Kind.OUTCOME_UNKNOWN, "no answer", null);
    proposals.get(0).reply().completeExceptionally(unknown);

    assertThat(kind(failed)).isEqualTo(RaftCallException.Kind.OUTCOME_UNKNOWN);
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 2);
    proposals.get(1).answer();
    assertThat(next.get()).isEqualTo("b");
  }

  @Test
  void inFlightBatchesAreBounded() throws Exception {
    start(1, 4096 * KIB, 100, 2);
    for (String c : List.of("a", "b", "c", "d")) {
      commit.submit(c);
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 2);
    assertThat(commit.stats().queued()).isEqualTo(2);
    proposals.get(1).answer();
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 3);
    assertThat(proposals.get(2).commands()).containsExactly("c");
  }

  @Test
  void closingFailsWhatIsStillQueued() throws Exception {
    start(256, 4096 * KIB, 100, 1);
    commit.submit("a");
    await().atMost(Duration.ofSeconds(5)).until(() -> proposals.size() == 1);
    CompletableFuture<String> queued = commit.submit("b");

    commit.close();

    assertThat(kind(queued)).isEqualTo(RaftCallException.Kind.CLOSED);
    assertThat(kind(commit.submit("c"))).isEqualTo(RaftCallException.Kind.CLOSED);
  }

  private static RaftCallException.Kind kind(CompletableFuture<String> future) {
    try {
      future.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RaftCallException.class);
      return ((RaftCallException) e.getCause()).kind();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
