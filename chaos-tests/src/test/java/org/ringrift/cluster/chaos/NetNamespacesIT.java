package org.ringrift.cluster.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The namespace fabric: cuts are blackhole routes, heals remove them, nothing outlives its run. */
class NetNamespacesIT {
  private static final Path SYS_NET = Path.of("/sys/class/net");
  private static final Path NETNS = Path.of("/run/netns");

  @BeforeEach
  void requireNamespaces() {
    NetNamespaces.unavailable().ifPresent(reason -> Assumptions.abort("skipped: " + reason));
  }

  @Test
  void aPartitionIsBlackholeRoutesInsideTheNamespacesAndHealingRemovesThemAll() throws Exception {
    String bridge;
    List<String> namespaces;
    try (NetNamespaces net = NetNamespaces.create(3)) {
      bridge = net.bridge();
      namespaces = List.of(net.namespace(0), net.namespace(1), net.namespace(2));
      assertThat(SYS_NET.resolve(bridge)).exists();
      assertThat(Files.readString(SYS_NET.resolve(bridge).resolve("ifalias")))
          .startsWith("rr-chaos pid=" + ProcessHandle.current().pid() + " ");

      net.partition(Set.of(0));
      assertThat(routes(net, 0)).contains("blackhole " + net.address(1), "blackhole " + net.address(2));
      assertThat(routes(net, 1)).contains("blackhole " + net.address(0)).doesNotContain("blackhole " + net.address(2));
      assertThat(net.cuts()).hasSize(4);

      // Shifting: node 1 is cut off instead, and node 0 is back, without a whole moment in between.
      net.setCuts(net.cutsAround(Set.of(1)));
      assertThat(routes(net, 0)).contains("blackhole " + net.address(1)).doesNotContain("blackhole " + net.address(2));
      assertThat(routes(net, 2)).contains("blackhole " + net.address(1)).doesNotContain("blackhole " + net.address(0));

      net.healAll();
      for (int i = 0; i < 3; i++) {
        assertThat(routes(net, i)).doesNotContain("blackhole");
      }
      assertThat(net.cuts()).isEmpty();
    }
    assertThat(SYS_NET.resolve(bridge)).doesNotExist();
    for (String ns : namespaces) {
      assertThat(NETNS.resolve(ns)).doesNotExist();
    }
  }

  @Test
  void aFabricWhoseTestJvmIsGoneIsRemovedAndALiveOneIsKept() throws Exception {
    try (NetNamespaces live = NetNamespaces.create(1)) {
      int x = freeSubnet();
      String bridge = NetNamespaces.PREFIX + x;
      String ns = NetNamespaces.PREFIX + x + "-n1";
      String veth = NetNamespaces.PREFIX + x + "v1";
      // A fabric as a killed test JVM leaves it: bridge with its owner's pid, a namespace, a veth pair.
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      NetNamespaces.run(List.of("ip", "link", "add", "name", bridge, "type", "bridge"));
      NetNamespaces.run(List.of("ip", "link", "set", "dev", bridge, "alias", "rr-chaos pid=" + gone.pid() + " started=1"));
      NetNamespaces.run(List.of("ip", "netns", "add", ns));
      NetNamespaces.run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns));

      NetNamespaces.removeStale();

      assertThat(SYS_NET.resolve(bridge)).doesNotExist();
      assertThat(SYS_NET.resolve(veth)).doesNotExist();
      assertThat(NETNS.resolve(ns)).doesNotExist();
      assertThat(SYS_NET.resolve(live.bridge())).exists();
      assertThat(NETNS.resolve(live.namespace(0))).exists();
    }
  }

  private static String routes(NetNamespaces net, int i) throws Exception {
    return NetNamespaces.run(List.of("ip", "-n", net.namespace(i), "route", "show"));
  }

  private static int freeSubnet() {
    for (int x = 254; x > 0; x--) {
      if (!Files.exists(SYS_NET.resolve(NetNamespaces.PREFIX + x))) {
        return x;
      }
    }
    throw new IllegalStateException("no free subnet number");
  }
}
