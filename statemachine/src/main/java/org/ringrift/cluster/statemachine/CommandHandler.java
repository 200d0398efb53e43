package org.ringrift.cluster.statemachine;

import com.google.protobuf.Message;
import java.util.function.Consumer;
import java.util.function.Function;
import org.ringrift.cluster.proto.Command;
import org.ringrift.cluster.proto.CommandResult;
import org.ringrift.cluster.statemachine.features.FeatureLevels;

/**
 * One replicated command: which body it handles, its checks that need no state, whether only a
 * ready leader's daemons propose it, and how it applies. Registered once, in
 * {@link CommandCatalog}; {@link CommandRegistry} runs admission and apply through it.
 *
 * @param <B> the command's body message
 */
public interface CommandHandler<B extends Message> {
  /** The body case of {@link Command} this handler owns. */
  Command.BodyCase bodyCase();

  /** The command's body of this handler's case. */
  B body(Command command);

  /**
   * The checks that need no state: pure, no clock, no store. Throws
   * {@link Rejections.RejectedException} naming the field at fault; returns normally when the
   * body is acceptable. The API edge runs it so bad input never reaches the log, and apply runs it
   * (once) before {@link #apply}, because the log is the authority.
   */
  void validate(B body);

  /** Commands only a ready leader's daemons propose: they must carry their term and are fenced. */
  boolean leaderOnly();

  /**
   * The cluster feature level this command needs (docs/OPERATIONS.md "Upgrades"): a command a node
   * of the previous build could not apply, or would apply differently, has a level of its own in
   * {@link FeatureLevels}. Apply refuses it while the cluster is below it.
   */
  default int featureLevel() {
    return FeatureLevels.BASE;
  }

  /**
   * Applies a body that passed {@link #validate}: writes through {@code ctx} only, and sets its
   * outcome on {@code result}. Deterministic: no clock, random source or environment.
   */
  void apply(ApplyContext ctx, B body, CommandResult.Builder result);

  /** The apply step of a handler built from functions. */
  @FunctionalInterface
  interface Apply<B> {
    void apply(ApplyContext ctx, B body, CommandResult.Builder result);
  }

  /** A command any client may propose, at the base feature level (see {@link FunctionHandler#atLevel}). */
  static <B extends Message> FunctionHandler<B> of(Command.BodyCase bodyCase, Function<Command, B> body,
      Consumer<B> validate, Apply<B> apply) {
    return new FunctionHandler<>(bodyCase, body, validate, apply, false, FeatureLevels.BASE);
  }

  /** A command only a ready leader's daemons propose (see {@link #leaderOnly()}). */
  static <B extends Message> FunctionHandler<B> leaderOnly(Command.BodyCase bodyCase, Function<Command, B> body,
      Consumer<B> validate, Apply<B> apply) {
    return new FunctionHandler<>(bodyCase, body, validate, apply, true, FeatureLevels.BASE);
  }

  /** A handler made of functions: what {@link #of} and {@link #leaderOnly} build. */
  record FunctionHandler<B extends Message>(Command.BodyCase bodyCase, Function<Command, B> getter,
      Consumer<B> validator, Apply<B> applier, boolean leaderOnly, int featureLevel) implements CommandHandler<B> {
    /** This handler at feature level {@code level}. */
    public FunctionHandler<B> atLevel(int level) {
      return new FunctionHandler<>(bodyCase, getter, validator, applier, leaderOnly, level);
    }

    @Override
    public B body(Command command) {
      return getter.apply(command);
    }

    @Override
    public void validate(B body) {
      validator.accept(body);
    }

    @Override
    public void apply(ApplyContext ctx, B body, CommandResult.Builder result) {
      applier.apply(ctx, body, result);
    }
  }
}
