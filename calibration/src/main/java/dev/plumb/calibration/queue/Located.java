package dev.plumb.calibration.queue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.plumb.calibration.sampling.Origin;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON or YAML document read into a tree that remembers where every value starts, so that a
 * problem found while interpreting it can name the file, line, column and field path
 * ({@code n.llm_positive}, {@code [3].annotations[0].completed_by}).
 */
record Located(JsonNode root, Origin origin) {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  static Located yaml(Path path) {
    return read(path, YAML);
  }

  static Located json(Path path) {
    return read(path, JSON);
  }

  Problem problem(String field, String message) {
    return origin.problem(field, message);
  }

  InputException error(String field, String message) {
    return new InputException(problem(field, message));
  }

  private static Located read(Path path, JsonFactory factory) {
    String source = path.toString();
    Map<String, Origin.Position> positions = new HashMap<>();
    try (InputStream in = Files.newInputStream(path); JsonParser p = factory.createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new InputException(Problem.of(source + ": empty file"));
      }
      JsonLocation at = p.currentTokenLocation();
      positions.put("", new Origin.Position(at.getLineNr(), at.getColumnNr()));
      JsonNode root = tree(p, "", positions);
      if (p.nextToken() != null) {
        JsonLocation l = p.currentTokenLocation();
        throw new InputException(Problem.at(source, l.getLineNr(), l.getColumnNr(), "", "unexpected content after the document"));
      }
      return new Located(root, new Origin(source, positions));
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
        String what = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
        throw new InputException(Problem.at(source, m.getProblemMark().getLine() + 1,
            m.getProblemMark().getColumn() + 1, "", "invalid YAML: " + what.replaceAll("\\s+", " ").strip()));
      }
      JsonLocation l = e.getLocation();
      throw new InputException(Problem.at(source, l == null ? 0 : Math.max(0, l.getLineNr()),
          l == null ? 0 : Math.max(0, l.getColumnNr()), "",
          "invalid " + (factory == YAML ? "YAML" : "JSON") + ": "
              + e.getOriginalMessage().replaceAll("\\s+", " ").strip()));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  private static JsonNode tree(JsonParser p, String path, Map<String, Origin.Position> positions) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          p.nextToken();
          JsonLocation at = p.currentTokenLocation();
          positions.put(child, new Origin.Position(at.getLineNr(), at.getColumnNr()));
          o.set(name, tree(p, child, positions));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String child = path + "[" + i++ + "]";
          JsonLocation at = p.currentTokenLocation();
          positions.put(child, new Origin.Position(at.getLineNr(), at.getColumnNr()));
          a.add(tree(p, child, positions));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? f.numberNode(p.getBigIntegerValue()) : f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(p.getBooleanValue());
      }
      default -> {
        return f.nullNode();
      }
    }
  }
}
