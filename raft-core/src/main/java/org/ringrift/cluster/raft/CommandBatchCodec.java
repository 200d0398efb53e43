package org.ringrift.cluster.raft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandBatch;
import org.ringrift.cluster.proto.CommandResult;

/**
 * Commands to Raft entries and back: one command alone stays a plain entry (the log format of
 * before group commit), several become one {@link CommandBatch} entry whose {@code BatchResult}
 * answers each in order. A batch the state machine refuses as a whole answers each command with
 * that rejection.
 */
final class CommandBatchCodec implements GroupCommit.Codec<Command, CommandResult> {
  @Override
  public int sizeBytes(Command command) {
    return command.getSerializedSize();
  }

  @Override
  public Message encode(List<Command> commands) {
    Command entry = commands.size() == 1
        ? commands.get(0)
        : Command.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(commands)).build();
    return Message.valueOf(ByteString.copyFrom(entry.toByteArray()));
  }

  @Override
  public List<CommandResult> decode(RaftClientReply reply, int commands) {
    CommandResult result = ReplicatedClient.parse(reply, CommandResult::parseFrom);
    if (commands == 1) {
      return List.of(result);
    }
    if (result.hasBatch() && result.getBatch().getResultsCount() == commands) {
      return result.getBatch().getResultsList();
    }
    if (result.hasRejected() || result.getReplayed()) {
      return new ArrayList<>(Collections.nCopies(commands, result));
    }
    throw new IllegalStateException("a batch of " + commands + " commands was answered with " + describe(result));
  }

  private static String describe(CommandResult result) {
    return result.hasBatch() ? result.getBatch().getResultsCount() + " results" : result.getBodyCase().toString();
  }
}
