package dev.plumb.units;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import dev.plumb.core.Spelling;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code plumb units from-texts}: a frame (units.jsonl, docs/formats.md) from a file of texts, one
 * unit per record with one component {@code {"id":"text","kind":KIND,"text":…}}. The input is JSON
 * Lines (one object per line) or CSV with a header ({@code .csv}); the record's {@code text} field
 * becomes the component's text, its {@code id} field (if named) the unit id — otherwise units are
 * numbered {@code t-1, t-2, …} in file order — and its {@code weight} field (if named) the weight,
 * else 1.
 *
 * <p>Every problem of the file is found in one pass and reported together (the first {@value
 * #MAX_PROBLEMS}, then how many more), each as {@code file:line: field: message}; nothing is written
 * unless there are none.
 */
public final class TextUnits {
  /** Problems listed before the rest are only counted. */
  public static final int MAX_PROBLEMS = 50;

  private static final CsvMapper CSV = new CsvMapper();

  private TextUnits() {}

  /**
   * @param in the texts (JSON Lines, gzip allowed, or {@code .csv})
   * @param textField the field holding each text
   * @param idField the field holding each unit id, or null to number the units
   * @param weightField the field holding each weight (a number ≥ 0), or null for weight 1
   * @param kind the component kind ({@code text}, {@code query}, {@code response}, …)
   * @param out units.jsonl to write
   */
  public record Request(Path in, String textField, String idField, String weightField, String kind, Path out) {
    public Request {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(textField, "textField");
      Objects.requireNonNull(out, "out");
      kind = kind == null ? "text" : kind;
    }
  }

  /** What was written: how many units and their total weight. */
  public record Result(Path out, int units, double weight) {}

  /** One input record: its line and its fields (as JSON values; CSV cells are strings). */
  private record Record(int line, Map<String, JsonNode> fields) {}

  /**
   * Reads {@code r.in()}, checks every record and writes the units atomically.
   *
   * @throws InputException with every problem found (none written)
   */
  public static Result run(Request r) {
    if (r.kind().isBlank() || !r.kind().equals(r.kind().strip())) {
      throw new InputException("--kind: expected a word such as text, query or response, found \"" + r.kind() + "\"");
    }
    String source = r.in().toString();
    List<Problem> problems = new ArrayList<>();
    List<ObjectNode> units = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int[] more = {0};
    double[] weight = {0};
    java.util.function.Consumer<Problem> report = p -> {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(p);
      } else {
        more[0]++;
      }
    };
    for (Record rec : read(r.in(), report)) {
      ObjectNode unit = unit(r, source, rec, units.size() + 1, seen, report);
      if (unit != null) {
        units.add(unit);
        weight[0] += unit.get("weight").asDouble();
      }
    }
    if (problems.isEmpty() && units.isEmpty()) {
      problems.add(Problem.of(source + ": no records; expected one object per line (or a CSV header and rows)"
          + " with a \"" + r.textField() + "\" field"));
    }
    if (!problems.isEmpty()) {
      problems.sort(java.util.Comparator.comparingInt(Problem::line)); // stable: a line's problems in field order
      if (more[0] > 0) {
        problems.add(Problem.of(source + ": " + more[0] + " more problems not shown"));
      }
      throw new InputException(problems);
    }
    try (AtomicOutput out = AtomicOutput.create(r.out())) {
      Writer w = out.writer();
      for (ObjectNode u : units) {
        w.write(Json.mapper().writeValueAsString(u));
        w.write('\n');
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(r.out(), units.size(), weight[0]);
  }

  /** The unit of one record, or null after reporting its problems. */
  private static ObjectNode unit(Request r, String source, Record rec, int number, Map<String, Integer> seen,
      java.util.function.Consumer<Problem> report) {
    boolean ok = true;
    JsonNode text = rec.fields().get(r.textField());
    if (text == null || text.isNull()) {
      report.accept(Problem.at(source, rec.line(), r.textField(), absent(r.textField(), rec)));
      ok = false;
    } else if (!text.isTextual()) {
      report.accept(Problem.at(source, rec.line(), r.textField(), "expected a string, found " + text));
      ok = false;
    } else if (text.asText().isBlank()) {
      report.accept(Problem.at(source, rec.line(), r.textField(), "empty text"));
      ok = false;
    }
    String id = "t-" + number;
    if (r.idField() != null) {
      JsonNode v = rec.fields().get(r.idField());
      if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
        report.accept(Problem.at(source, rec.line(), r.idField(), absent(r.idField(), rec)));
        ok = false;
      } else if (!v.isTextual() && !v.isIntegralNumber()) {
        report.accept(Problem.at(source, rec.line(), r.idField(), "expected a string or an integer, found " + v));
        ok = false;
      } else {
        id = v.asText().strip();
        Integer first = seen.putIfAbsent(id, rec.line());
        if (first != null) {
          report.accept(Problem.at(source, rec.line(), r.idField(), "duplicate id \"" + id + "\" (first at line "
              + first + ")"));
          ok = false;
        }
      }
    }
    double weight = 1;
    if (r.weightField() != null) {
      JsonNode v = rec.fields().get(r.weightField());
      Double w = v == null ? null : v.isNumber() ? Double.valueOf(v.asDouble()) : v.isTextual() ? parse(v.asText()) : null;
      if (v == null || v.isNull()) {
        report.accept(Problem.at(source, rec.line(), r.weightField(), absent(r.weightField(), rec)));
        ok = false;
      } else if (w == null || !Double.isFinite(w) || w < 0) {
        report.accept(Problem.at(source, rec.line(), r.weightField(), "expected a number >= 0, found " + v));
        ok = false;
      } else {
        weight = w;
      }
    }
    if (!ok) {
      return null;
    }
    ObjectNode unit = Json.object();
    unit.put("id", id);
    if (weight == Math.rint(weight) && weight < 1e15) {
      unit.put("weight", (long) weight);
    } else {
      unit.put("weight", weight);
    }
    ObjectNode c = unit.putArray("components").addObject();
    c.put("id", "text");
    c.put("kind", r.kind());
    c.put("text", text.asText());
    return unit;
  }

  /**
   * Why a field gave no value: "empty" when the record has it (an empty CSV cell, a JSON null or blank
   * id), else "missing; the record's fields: a, b (did you mean …?)" — a suggestion of the field the
   * user named would send them looking for a typo that is not there.
   */
  private static String absent(String field, Record rec) {
    if (rec.fields().containsKey(field)) {
      return "empty";
    }
    return "missing; the record's fields: " + String.join(", ", rec.fields().keySet())
        + Spelling.aside(field, rec.fields().keySet());
  }

  private static Double parse(String s) {
    try {
      return Double.valueOf(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The records of a JSON Lines or CSV file; a line that is no record is reported and skipped. */
  private static List<Record> read(Path in, java.util.function.Consumer<Problem> report) {
    String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") ? csv(in, report) : jsonl(in, report);
  }

  private static List<Record> jsonl(Path in, java.util.function.Consumer<Problem> report) {
    List<Record> records = new ArrayList<>();
    try (Jsonl file = Jsonl.open(in)) {
      for (Jsonl.Text t : file.texts()) {
        JsonNode node;
        try {
          node = Json.mapper().readTree(t.text());
        } catch (IOException e) {
          report.accept(Problem.at(in.toString(), t.number(), "", "not valid JSON"));
          continue;
        }
        if (!(node instanceof ObjectNode o)) {
          report.accept(Problem.at(in.toString(), t.number(), "", "expected a JSON object, found " + kindOf(node)));
          continue;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        records.add(new Record(t.number(), fields));
      }
    }
    return records;
  }

  private static String kindOf(JsonNode node) {
    return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number" : "" + node;
  }

  private static List<Record> csv(Path in, java.util.function.Consumer<Problem> report) {
    String source = in.toString();
    List<Record> records = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        MappingIterator<List<String>> it = CSV.readerForListOf(String.class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(reader)) {
      JsonParser parser = it.getParser();
      if (!it.hasNextValue()) {
        return records;
      }
      List<String> header = new ArrayList<>(it.nextValue());
      if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
        header.set(0, header.get(0).substring(1));
      }
      while (it.hasNextValue()) {
        int line = parser.currentLocation().getLineNr();
        List<String> row = it.nextValue();
        if (row.size() == 1 && row.get(0).isBlank()) {
          continue;
        }
        if (row.size() > header.size()) {
          report.accept(Problem.at(source, line, "", row.size() + " cells; the header has " + header.size()));
          continue;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
          String cell = c < row.size() ? row.get(c) : null;
          fields.put(header.get(c).strip(), cell == null || cell.isEmpty() ? null : Json.mapper().getNodeFactory()
              .textNode(cell));
        }
        records.add(new Record(line, fields));
      }
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputException(Problem.of(source + ": not UTF-8 text"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read as CSV: " + e.getMessage()), e);
    }
    return records;
  }
}
