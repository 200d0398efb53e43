package org.ringrift.cluster.contract.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One message as protobuf's JsonFormat prints it (proto field names, fields at their defaults
 * included), with the few adjustments the views promise on top: 64-bit integers are numbers (JsonFormat
 * writes strings), enums their short lower-case name ({@code WORK_STATE_PENDING} is {@code pending}),
 * bytes UTF-8 text (JsonFormat writes base64), maps sorted by key. Sub-messages are left to the views.
 */
final class ProtoFields {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Descriptor type;
  private final JsonNode json;

  private ProtoFields(Descriptor type, JsonNode json) {
    this.type = type;
    this.json = json;
  }

  static ProtoFields of(MessageOrBuilder message) {
    try {
      return new ProtoFields(message.getDescriptorForType(), MAPPER.readTree(PRINTER.print(message)));
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalArgumentException("cannot print " + message.getDescriptorForType().getName() + ": "
          + e.getMessage(), e);
    }
  }

  /** Puts the named fields into {@code view}, in the order given. */
  ProtoFields copy(Map<String, Object> view, String... names) {
    for (String name : names) {
      view.put(name, get(name));
    }
    return this;
  }

  Object get(String name) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field == null || (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField())) {
      throw new IllegalArgumentException(type.getName() + " has no scalar, list or map field '" + name + "'");
    }
    JsonNode node = json.get(name);
    if (node == null) {
      // Only fields with presence (optional, oneof) can be missing; no view shows one.
      throw new IllegalArgumentException(type.getName() + "." + name + " has presence: view it explicitly");
    }
    if (field.isMapField()) {
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      Map<String, Object> map = new TreeMap<>();
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        map.put(entry.getKey(), scalar(valueField, entry.getValue()));
      }
      return map;
    }
    if (field.isRepeated()) {
      List<Object> list = new ArrayList<>();
      node.forEach(element -> list.add(scalar(field, element)));
      return list;
    }
    return scalar(field, node);
  }

  private static Object scalar(FieldDescriptor field, JsonNode node) {
    return switch (field.getJavaType()) {
      case LONG -> node.asLong();
      case INT -> node.asInt();
      case BOOLEAN -> node.asBoolean();
      case DOUBLE -> node.asDouble();
      case FLOAT -> (float) node.asDouble();
      case STRING -> node.asText();
      case BYTE_STRING -> new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.UTF_8);
      // An enum value this build does not know prints as its number: the name proto-java gives it.
      case ENUM -> node.isNumber() ? "unrecognized" : shortName(field, node.asText());
      case MESSAGE -> throw new IllegalArgumentException(field.getFullName() + " is a message");
    };
  }

  /** {@code WORK_TYPE_GPU_CMAES} of enum WorkType is {@code gpu_cmaes}. */
  private static String shortName(FieldDescriptor field, String name) {
    String prefix = field.getEnumType().getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT) + "_";
    return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(Locale.ROOT);
  }
}
