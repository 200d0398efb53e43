package org.ringrift.cluster.client;

import org.ringrift.cluster.contract.Endpoint;
import org.ringrift.cluster.contract.LeaderHints;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.contract.tls.TlsChannels;

/**
 * One client's channels: one per configured endpoint, and at most {@link #MAX_EXTRA_CHANNELS}
 * more for leader addresses a reply named outside them. Every call through them reads the
 * leader hint of its reply ({@link LeaderHints}).
 */
final class ChannelPool implements AutoCloseable {
  /** Leader addresses outside the configured endpoints that get a channel of their own, at most. */
  static final int MAX_EXTRA_CHANNELS = 16;

  private final List<Endpoint> endpoints;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Channel> hinted = new ArrayList<>();
  private final ConcurrentMap<Endpoint, ManagedChannel> extraChannels = new ConcurrentHashMap<>();
  private final TlsChannels transport;
  private final LeaderHintTracker hints = new LeaderHintTracker();

  ChannelPool(List<Endpoint> endpoints, TlsChannels transport) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint given");
    }
    this.endpoints = List.copyOf(endpoints);
    this.transport = transport;
    for (Endpoint endpoint : this.endpoints) {
      ManagedChannel channel = transport.channel(endpoint.host(), endpoint.port());
      channels.add(channel);
      hinted.add(ClientInterceptors.intercept(channel, hints));
    }
  }

  List<Endpoint> endpoints() {
    return endpoints;
  }

  LeaderHintTracker hints() {
    return hints;
  }

  /** The channel to a configured endpoint, or to a leader address a reply named (created once, bounded). */
  Channel channel(Endpoint endpoint) {
    int index = endpoints.indexOf(endpoint);
    if (index >= 0) {
      return hinted.get(index);
    }
    ManagedChannel extra = extraChannels.get(endpoint);
    if (extra == null) {
      if (extraChannels.size() >= MAX_EXTRA_CHANNELS) {
        throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription("leader address "
            + endpoint + " not used: this client already holds " + MAX_EXTRA_CHANNELS + " extra channels")
            .withCause(new ConnectException("not connected")));
      }
      extra = extraChannels.computeIfAbsent(endpoint, e -> transport.channel(e.host(), e.port()));
    }
    return ClientInterceptors.intercept(extra, hints);
  }

  /**
   * Lets every channel that failed to connect try again now rather than at the end of gRPC's
   * exponential reconnect backoff (up to two minutes): a call going round the nodes again sets the
   * pace, so a node that restarts is used as soon as it listens.
   */
  void reconnectNow() {
    channels.forEach(ManagedChannel::resetConnectBackoff);
    extraChannels.values().forEach(ManagedChannel::resetConnectBackoff);
  }

  @Override
  public void close() {
    List<ManagedChannel> all = new ArrayList<>(channels);
    all.addAll(extraChannels.values());
    for (ManagedChannel channel : all) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : all) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
