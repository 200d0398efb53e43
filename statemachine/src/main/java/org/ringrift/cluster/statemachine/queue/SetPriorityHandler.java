package org.ringrift.cluster.statemachine.queue;

import org.ringrift.cluster.contract.names.EventTypes;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.proto.ItemResult;
import org.ringrift.cluster.proto.SetPriorityRequest;
import org.ringrift.cluster.proto.WorkItem;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.statemachine.ApplyContext;
import org.ringrift.cluster.statemachine.CommandHandler;
import org.ringrift.cluster.statemachine.Rejections;
import org.ringrift.cluster.statemachine.features.FeatureLevels;

/**
 * set_priority (feature level 3): an operator moves a pending item ahead of or behind the others
 * of its type. Only a pending item: a claimed or finished one has left the claim order, so its
 * priority would mean nothing. The ready key holds the priority, so {@link ItemIndex} moves the
 * item's place in claim order in the same batch as the item itself.
 */
public final class SetPriorityHandler implements CommandHandler<SetPriorityRequest> {
  @Override
  public Command.BodyCase bodyCase() {
    return Command.BodyCase.SET_PRIORITY;
  }

  @Override
  public SetPriorityRequest body(Command command) {
    return command.getSetPriority();
  }

  @Override
  public void validate(SetPriorityRequest body) {
    ItemIds.check("item_id", body.getItemId());
    Validate.priority("priority", body.getPriority());
  }

  @Override
  public boolean leaderOnly() {
    return false;
  }

  @Override
  public int featureLevel() {
    return FeatureLevels.PRIORITY;
  }

  @Override
  public void apply(ApplyContext ctx, SetPriorityRequest body, CommandResult.Builder result) {
    WorkItem item = new ItemStore(ctx.batch()).require("item_id", body.getItemId());
    if (item.getState() != WorkState.WORK_STATE_PENDING) {
      throw Rejections.precondition("item_id", "item " + item.getId() + " is " + WorkStates.name(item.getState())
          + ": only a pending item's priority can change");
    }
    WorkItem changed = item;
    if (item.getPriority() != body.getPriority()) {
      changed = item.toBuilder().setPriority(body.getPriority()).setUpdatedMs(ctx.nowMs()).build();
      new ItemIndex(ctx).put(item, changed);
      ctx.events().append(EventTypes.WORK_PRIORITY_CHANGED, item.getId(),
          "priority " + item.getPriority() + " -> " + changed.getPriority());
    }
    result.setItem(ItemResult.newBuilder().setItem(changed));
  }
}
