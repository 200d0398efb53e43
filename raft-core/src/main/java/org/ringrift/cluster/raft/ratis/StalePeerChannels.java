package org.ringrift.cluster.raft.ratis;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a peer a fresh Raft channel when this node has not heard from it for {@code staleAfter}.
 *
 * <p>Why: after a network cut (packets dropped, not refused) the TCP connections under Ratis'
 * channels are stalled, and a connection attempt made during the cut is still retransmitting its
 * SYN. Both back off exponentially in the kernel (retransmission timeout, SYN retries at 1, 3, 7,
 * 15, 31 s), so after the cut heals a channel may stay silent for many more seconds: measured, an
 * old leader cut off for 15 s heard from the new leader only 12.6 s after the heal (chaos
 * scenario netns). A fresh channel is a fresh connection whose first SYN goes out at once. A
 * leader refreshes the channel of each follower that has not answered; a node without a leader
 * (or without recent contact with it) refreshes all its peers. At most once per {@code
 * staleAfter} per peer, so a peer that stays down costs one connection attempt per period.
 */
public final class StalePeerChannels implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StalePeerChannels.class);

  private final RaftServer server;
  private final RaftGroupId groupId;
  private final RaftPeerId self;
  private final long staleAfterMs;
  private final ScheduledExecutorService timer;
  private final Map<RaftPeerId, Long> lastRefreshMs = new HashMap<>();
  private final Set<RaftPeerId> silent = new LinkedHashSet<>();

  public StalePeerChannels(RaftServer server, RaftGroupId groupId, RaftPeerId self, Duration staleAfter) {
    this.server = server;
    this.groupId = groupId;
    this.self = self;
    this.staleAfterMs = staleAfter.toMillis();
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "stale-peer-channels-" + self);
      thread.setDaemon(true);
      return thread;
    });
  }

  public void start() {
    long periodMs = Math.max(100, staleAfterMs / 2);
    timer.scheduleWithFixedDelay(this::check, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      RaftServer.Division division = server.getDivision(groupId);
      long nowMs = System.currentTimeMillis();
      for (RaftPeerId peer : stalePeers(division)) {
        Long last = lastRefreshMs.get(peer);
        if (last != null && nowMs - last < staleAfterMs) {
          continue;
        }
        lastRefreshMs.put(peer, nowMs);
        if (silent.add(peer)) {
          LOG.info("raft channel refreshed node={} peer={} silent_ms_over={}", self, peer, staleAfterMs);
        }
        server.getServerRpc().handleException(peer, new IOException("no answer from " + peer + " for over "
            + staleAfterMs + " ms: reconnecting"), true);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("stale peer check failed node={} error={}", self, e.toString());
    }
  }

  /** The peers this node should hear from and has not, recently. */
  private Set<RaftPeerId> stalePeers(RaftServer.Division division) {
    RoleInfoProto role = division.getInfo().getRoleInfoProto();
    Set<RaftPeerId> stale = new LinkedHashSet<>();
    if (role.hasLeaderInfo()) {
      role.getLeaderInfo().getFollowerInfoList().forEach(follower -> {
        RaftPeerId id = RaftPeerId.valueOf(follower.getId().getId());
        if (follower.getLastRpcElapsedTimeMs() > staleAfterMs) {
          stale.add(id);
        } else {
          heard(id);
        }
      });
      return stale;
    }
    boolean leaderRecent = role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
        && role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() <= staleAfterMs;
    for (RaftPeer peer : division.getRaftConf().getAllPeers()) {
      if (peer.getId().equals(self)) {
        continue;
      }
      if (leaderRecent) {
        heard(peer.getId());
      } else {
        stale.add(peer.getId());
      }
    }
    return stale;
  }

  private void heard(RaftPeerId peer) {
    if (silent.remove(peer)) {
      LOG.info("raft peer answering again node={} peer={}", self, peer);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
