package org.ringrift.cluster.cli;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.ringrift.cluster.proto.AdminServiceGrpc;
import org.ringrift.cluster.proto.DaemonInfo;
import org.ringrift.cluster.proto.ListDaemonsRequest;
import org.ringrift.cluster.proto.ListDaemonsResult;
import org.ringrift.cluster.proto.ListNodesRequest;
import org.ringrift.cluster.proto.ListNodesResult;
import org.ringrift.cluster.proto.NodeRecord;
import org.ringrift.cluster.proto.NodeStatus;
import org.ringrift.cluster.proto.QueueStats;
import org.ringrift.cluster.proto.QueueStatsRequest;
import org.ringrift.cluster.proto.StatusRequest;

/**
 * The training run of rrctl's class-data-sharing archive (built at package time, used by
 * bin/rrctl): the common commands against a stand-in admin service on loopback, so the archive
 * holds the classes a real call loads (picocli, gRPC client, protobuf, printing).
 */
final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new StandIn()).build().start();
    try {
      String endpoint = "127.0.0.1:" + server.getPort();
      String[][] calls = {
          {"status"}, {"-o", "json", "status"}, {"status", "--all"}, {"-o", "json", "status", "--all"},
          {"queue", "stats"}, {"daemons", "ls"}, {"nodes", "ls"}, {"queue", "ls"}, {"--help"}, {"status", "--help"}};
      for (String[] call : calls) {
        String[] argv = new String[call.length + 4];
        argv[0] = "--endpoint";
        argv[1] = endpoint;
        argv[2] = "--timeout";
        argv[3] = "3s";
        System.arraycopy(call, 0, argv, 4, call.length);
        Rrctl.run(argv, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      }
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Answers the read calls of the training with small fixed values; the rest are UNIMPLEMENTED (the error path). */
  private static final class StandIn extends AdminServiceGrpc.AdminServiceImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<NodeStatus> out) {
      reply(out, NodeStatus.newBuilder().setNodeId("n1").setLeaderId("n1").setIsLeader(true).setRole("LEADER")
          .setTerm(1).build());
    }

    @Override
    public void getQueueStats(QueueStatsRequest request, StreamObserver<QueueStats> out) {
      reply(out, QueueStats.newBuilder().setPending(1).build());
    }

    @Override
    public void listDaemons(ListDaemonsRequest request, StreamObserver<ListDaemonsResult> out) {
      reply(out, ListDaemonsResult.newBuilder().setNodeId("n1")
          .addDaemons(DaemonInfo.newBuilder().setName("heartbeat").setState("RUNNING").build()).build());
    }

    @Override
    public void listNodes(ListNodesRequest request, StreamObserver<ListNodesResult> out) {
      reply(out, ListNodesResult.newBuilder().addNodes(NodeRecord.newBuilder().setNodeId("n1").build()).build());
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
      out.onNext(value);
      out.onCompleted();
    }
  }
}
