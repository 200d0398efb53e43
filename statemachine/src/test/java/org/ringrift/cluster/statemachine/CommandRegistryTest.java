package org.ringrift.cluster.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.RejectCode;
import org.ringrift.cluster.statemachine.features.FeatureCommands;
import org.ringrift.cluster.statemachine.features.FeatureLevels;
import org.ringrift.cluster.statemachine.queue.QueueLimits;
import org.ringrift.cluster.statemachine.sessions.SessionLimits;

/** Every command kind has exactly one handler, and admission and apply go through it. */
class CommandRegistryTest {
  private final FeatureCommands features = new FeatureCommands(FeatureLevels.BUILD);
  private final CommandRegistry registry = CommandRegistry.standard(QueueLimits.defaults(), SessionLimits.defaults(),
      features);

  private List<CommandHandler<?>> catalog() {
    return new ArrayList<>(CommandCatalog.handlers(Handlers.create(QueueLimits.defaults(), SessionLimits.defaults()),
        features));
  }

  private static Set<Command.BodyCase> commandKinds() {
    Set<Command.BodyCase> kinds = EnumSet.allOf(Command.BodyCase.class);
    kinds.removeAll(Set.of(Command.BodyCase.BODY_NOT_SET, Command.BodyCase.BATCH));
    return kinds;
  }

  /** A command of {@code kind} with an empty body, built from the wire schema, not from a handler. */
  private static Command emptyOf(Command.BodyCase kind) {
    FieldDescriptor field = Command.getDescriptor().findFieldByNumber(kind.getNumber());
    Command.Builder command = Command.newBuilder();
    return command.setField(field, command.newBuilderForField(field).build()).build();
  }

  @Test
  void everyCommandKindHasAHandler() {
    Set<Command.BodyCase> kinds = commandKinds();
    assertThat(kinds).hasSizeGreaterThan(20);
    for (Command.BodyCase kind : kinds) {
      assertThat(registry.handler(kind)).as("handler for %s (register it in CommandCatalog)", kind).isPresent();
      assertThat(registry.handler(kind).orElseThrow().bodyCase()).isEqualTo(kind);
    }
    assertThat(catalog()).extracting(CommandHandler::bodyCase).containsExactlyInAnyOrderElementsOf(kinds);
  }

  @Test
  void eachHandlerReadsTheBodyOfItsOwnKind() {
    for (Command.BodyCase kind : commandKinds()) {
      Command command = emptyOf(kind);
      assertThat(command.getBodyCase()).isEqualTo(kind);
      Object body = registry.handler(kind).orElseThrow().body(command);
      assertThat(body).as("body of %s", kind)
          .isEqualTo(command.getField(Command.getDescriptor().findFieldByNumber(kind.getNumber())));
    }
  }

  @Test
  void aRegistryMissingAKindRefusesToBuild() {
    List<CommandHandler<?>> handlers = catalog();
    handlers.removeIf(h -> h.bodyCase() == Command.BodyCase.CLAIM);
    assertThatThrownBy(() -> new CommandRegistry(handlers))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CLAIM");
  }

  @Test
  void aKindWithTwoHandlersRefusesToBuild() {
    List<CommandHandler<?>> handlers = catalog();
    handlers.add(handlers.get(0));
    assertThatThrownBy(() -> new CommandRegistry(handlers))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two handlers");
  }

  @Test
  void leaderOnlyCommandsAreTheLeaderDaemonsOnes() {
    Set<Command.BodyCase> leaderOnly = Arrays.stream(Command.BodyCase.values())
        .filter(kind -> registry.isLeaderOnly(kindOrEmpty(kind)))
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Command.BodyCase.class)));
    assertThat(leaderOnly).containsExactlyInAnyOrder(Command.BodyCase.EXPIRE_LEASES, Command.BodyCase.PRUNE,
        Command.BodyCase.SET_NODE_HEALTH, Command.BodyCase.RECORD_LEADER, Command.BodyCase.PLAN_SYNC);
    for (Command.BodyCase kind : leaderOnly) {
      assertThat(CommandChecks.isLeaderOnly(emptyOf(kind))).isTrue();
    }
  }

  @Test
  void featureLevelsAreTheHandlersOwn() {
    for (Command.BodyCase kind : commandKinds()) {
      int expected = switch (kind) {
        case ANNOTATE_ITEM -> FeatureLevels.ANNOTATE;
        case SET_PRIORITY -> FeatureLevels.PRIORITY;
        default -> FeatureLevels.BASE;
      };
      assertThat(registry.featureLevel(emptyOf(kind))).as("level of %s", kind).isEqualTo(expected);
    }
    assertThat(registry.featureLevel(Command.getDefaultInstance())).isEqualTo(FeatureLevels.BASE);
    assertThat(FeatureLevels.BUILD.max()).isEqualTo(FeatureLevels.PRIORITY);
  }

  private static Command kindOrEmpty(Command.BodyCase kind) {
    return kind == Command.BodyCase.BODY_NOT_SET ? Command.getDefaultInstance() : emptyOf(kind);
  }

  @Test
  void admissionRefusesALeaderOnlyCommandWithoutItsTerm() {
    Command prune = Commands.prune(10).build();
    assertThatThrownBy(() -> new CommandChecks(QueueLimits.defaults()).check(prune))
        .isInstanceOfSatisfying(Rejections.RejectedException.class, e -> {
          assertThat(e.rejection().getCode()).isEqualTo(RejectCode.REJECT_INVALID_ARGUMENT);
          assertThat(e.rejection().getField()).isEqualTo("expected_term");
        });
    new CommandChecks(QueueLimits.defaults()).check(prune.toBuilder().setExpectedTerm(3).build());
  }

  @Test
  void admissionRefusesABodylessOrNestedBatchCommand() {
    assertThatThrownBy(() -> registry.validate(Command.getDefaultInstance()))
        .isInstanceOfSatisfying(Rejections.RejectedException.class,
            e -> assertThat(e.rejection().getField()).isEqualTo("body"));
    assertThatThrownBy(() -> registry.validate(emptyOf(Command.BodyCase.BATCH)))
        .isInstanceOfSatisfying(Rejections.RejectedException.class,
            e -> assertThat(e.rejection().getField()).isEqualTo("batch"));
  }
}
