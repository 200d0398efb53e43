package org.ringrift.cluster.statemachine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.WorkType;

/** The claim seek hints, and putting them back when the writes that moved them are undone. */
class ReadyHintsTest {
  private static final WorkType SELFPLAY = WorkType.WORK_TYPE_SELFPLAY;
  private static final WorkType TRAINING = WorkType.WORK_TYPE_TRAINING;

  private static byte[] key(WorkType type, long seq) {
    return QueueKeys.ready(type, 50, seq);
  }

  @Test
  void restoreUndoesRaisesLoweringsAndNewHintsSinceTheSave() {
    ReadyHints hints = new ReadyHints();
    hints.firstLive(SELFPLAY, key(SELFPLAY, 5));
    ReadyHints.Saved saved = hints.save();

    hints.firstLive(SELFPLAY, key(SELFPLAY, 9));
    hints.firstLive(TRAINING, key(TRAINING, 3));
    hints.restore(saved);

    assertThat(hints.seekFrom(SELFPLAY)).isEqualTo(key(SELFPLAY, 5));
    assertThat(hints.seekFrom(TRAINING)).as("no hint before the save").isEqualTo(QueueKeys.readyPrefix(TRAINING));

    hints.inserted(SELFPLAY, key(SELFPLAY, 2));
    assertThat(hints.seekFrom(SELFPLAY)).isEqualTo(key(SELFPLAY, 2));
    hints.restore(saved);
    assertThat(hints.seekFrom(SELFPLAY)).isEqualTo(key(SELFPLAY, 5));
  }
}
