package org.ringrift.cluster.cli;

import java.util.List;
import org.ringrift.cluster.client.ClusterClient;
import org.ringrift.cluster.contract.views.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** rrctl members: the Raft configuration, and adding or removing a member. */
@Command(name = "members", footerHeading = "%nExamples:%n",
    footer = {"  rrctl members", "  rrctl members remove n3", "  rrctl members add n3 10.0.0.3:9870"},
    description = "The Raft configuration: voters and listeners, and who leads.",
    subcommands = {MembersCommand.Add.class, MembersCommand.Remove.class})
final class MembersCommand extends ClientCommand {
  @Command(name = "add", footerHeading = "%nExamples:%n",
  footer = {"  rrctl members add n4 10.0.0.4:9870", "  rrctl members add n5 10.0.0.5:9870 --listener"},
   description = "Add a running node (started with rrnode --join) as a voter or listener.")
  static final class Add extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1", paramLabel = "HOST:RAFT_PORT") String address;
    @Option(names = "--listener", description = "Receive the log without voting.") boolean listener;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("members", client.addMember(id, address, listener), MembersCommand::view), "members",
          List.of("id", "address", "role", "is_leader"));
    }
  }

  @Command(name = "remove", footerHeading = "%nExamples:%n",
  footer = {"  rrctl members remove n4"},
   description = "Remove a member from the Raft configuration.")
  static final class Remove extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    void run(ClusterClient client, Printer printer) {
      printer.rows(Views.list("members", client.removeMember(id), MembersCommand::view), "members",
          List.of("id", "address", "role", "is_leader"));
    }
  }

  static java.util.Map<String, Object> view(org.ringrift.cluster.proto.Member m) {
    java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
    view.put("id", m.getId());
    view.put("address", m.getAddress());
    view.put("role", m.getRole().toLowerCase(java.util.Locale.ROOT));
    view.put("is_leader", m.getIsLeader());
    return view;
  }

  @Override
  void run(ClusterClient client, Printer printer) {
    printer.rows(Views.list("members", client.members(), MembersCommand::view), "members",
        List.of("id", "address", "role", "is_leader"));
  }
}
