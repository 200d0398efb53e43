package org.ringrift.cluster.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.ringrift.cluster.contract.names.WorkTypes;
import org.ringrift.cluster.proto.WorkState;
import org.ringrift.cluster.proto.WorkType;

/** The queue commands' checks of their input, each failing with the exit code of a bad flag. */
final class QueueInput {
  private QueueInput() {}

  static WorkState parseState(String name) {
    for (WorkState state : WorkState.values()) {
      if (state != WorkState.UNRECOGNIZED && state != WorkState.WORK_STATE_UNSPECIFIED
          && state.name().equalsIgnoreCase("WORK_STATE_" + name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("--state '" + name + "' is not a state: pending, claimed, running, completed, "
        + "failed, timeout, cancelled");
  }

  /** The payload and result options say JSON: refuse anything else here, with the exit code of a bad flag. */
  static void requireJson(String option, String text) {
    if (text.isEmpty()) {
      return;
    }
    try (JsonParser parser = new ObjectMapper()
        .getFactory().createParser(text)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      while (parser.nextToken() != null) {
        // reading every token is the check
      }
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException p ? p.getOriginalMessage()
          : e.getMessage();
      throw new IllegalArgumentException(option + " is not valid JSON: " + why.lines().findFirst().orElse(why));
    }
  }

  static WorkType parseType(String name) {
    return WorkTypes.parse(name).orElseThrow(() -> new IllegalArgumentException(
        "--type '" + name + "' is not a work type: one of " + WorkTypes.names()));
  }
}
