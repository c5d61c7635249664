package dev.plumb.calibration.queue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads raters' answers to a queue: the CSV a vendor returns ({@code .csv}) or a Label Studio JSON
 * export ({@code .json}); docs/review.md gives both. Every answer is checked against the queue as it
 * is read (known item or unit, known policy, a decision and category of that policy, a rater of the
 * queue who was assigned the item); the first problem is an {@link InputException} naming the
 * file, line and field.
 */
final class AnswerFiles {
  private static final CsvMapper CSV = new CsvMapper();

  private AnswerFiles() {}

  static void read(Path path, Queue q, Consumer<QueueAnswer> sink) {
    read(path, q, DecisionMap.NONE, sink);
  }

  /** As {@link #read(Path, Queue, Consumer)}, a vendor CSV's decisions read through {@code map} first. */
  static void read(Path path, Queue q, DecisionMap map, Consumer<QueueAnswer> sink) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      labelStudio(path, q, sink);
    } else if (name.endsWith(".csv")) {
      csv(path, q, map, null, sink);
    } else {
      throw new InputException(Problem.of(path + ": unknown answer format; expected a .csv file or a Label Studio"
          + " JSON export (.json)"));
    }
  }

  /**
   * A CSV whose rows name their item by the {@code unit} column, even where an {@code item} column is
   * there too: a merge of a sequential review's rounds, where item ids repeat from round to round but
   * a reviewed unit is in one round only. A unit not in {@code q} is a one-line error ending "unit … is
   * in no " + {@code queues}.
   */
  static void readByUnit(Path path, Queue q, String queues, Consumer<QueueAnswer> sink) {
    csv(path, q, DecisionMap.NONE, queues, sink);
  }

  /** Checks one answer against the queue and hands it on; {@code null} decision means unanswered. */
  private static final class Checker {
    private final Queue q;
    private final Map<String, Queue.Item> items;
    private final Map<String, Queue.Item> units = new HashMap<>();

    Checker(Queue q) {
      this.q = q;
      this.items = q.byItem();
      q.items().forEach(i -> units.put(i.unit(), i));
    }

    Queue.Item item(String id, boolean byUnit, Problem at) {
      Queue.Item i = byUnit ? units.get(id) : items.get(id);
      if (i == null) {
        throw new InputException(relocate(at, "unknown " + (byUnit ? "unit" : "item") + " \"" + id
            + "\": not in the queue"));
      }
      return i;
    }

    ReviewPolicy policy(String key, Problem at) {
      for (ReviewPolicy p : q.policies()) {
        if (p.key().equals(key) || p.id().equals(key)) {
          return p;
        }
      }
      throw new InputException(relocate(at, "unknown policy \"" + key + "\" (the queue reviews "
          + String.join(", ", q.policies().stream().map(ReviewPolicy::key).toList()) + ")"));
    }

    void decision(ReviewPolicy p, String decision, Problem at) {
      if (!p.decisions().containsKey(decision)) {
        throw new InputException(relocate(at, "unknown decision \"" + decision + "\" for policy " + p.key()
            + " (decisions: " + String.join(", ", p.decisions().keySet()) + ")"
            + (decision.matches("0|1|true|false|yes|no") ? "; for answers given as 0/1 or true/false, map them:"
                + " --decision-map 1=<decision> --decision-map 0=<decision>" : "")));
      }
    }

    void category(ReviewPolicy p, String category, Problem at) {
      if (category != null && !p.categories().isEmpty() && !p.categories().contains(category)) {
        throw new InputException(relocate(at, "unknown category \"" + category + "\" for policy " + p.key()
            + " (categories: " + String.join(", ", p.categories()) + ")"));
      }
    }

    void rater(Queue.Item item, String rater, Problem at) {
      if (q.raters().isEmpty()) {
        return;
      }
      if (!q.raters().contains(rater)) {
        throw new InputException(relocate(at, "unknown rater \"" + rater + "\" (the queue's raters: "
            + String.join(", ", q.raters()) + ")"));
      }
      if (!item.raters().contains(rater)) {
        throw new InputException(relocate(at, "rater \"" + rater + "\" was not assigned item " + item.item()
            + " (assigned: " + String.join(", ", item.raters()) + ")"));
      }
    }
  }

  private static Problem relocate(Problem at, String message) {
    return new Problem(at.source(), at.line(), at.column(), at.field(), message);
  }

  private static void csv(Path path, Queue q, DecisionMap map, String unitsOf, Consumer<QueueAnswer> sink) {
    String source = path.toString();
    Checker check = new Checker(q);
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        MappingIterator<List<String>> it = CSV.readerForListOf(String.class)
            .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(reader)) {
      JsonParser parser = it.getParser();
      if (!it.hasNextValue()) {
        throw new InputException(Problem.of(source + ": empty file; expected a header line"));
      }
      List<String> header = it.nextValue();
      if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
        header.set(0, header.get(0).substring(1));
      }
      Map<String, Integer> col = new HashMap<>();
      for (int c = 0; c < header.size(); c++) {
        col.putIfAbsent(header.get(c).strip(), c);
      }
      boolean byUnit = col.containsKey("unit") && (unitsOf != null || !col.containsKey("item"));
      for (String need : List.of(byUnit || unitsOf != null ? "unit" : "item", "policy", "rater", "decision")) {
        if (!col.containsKey(need)) {
          throw new InputException(Problem.at(source, 1, "", "missing column \"" + need + "\" (columns: "
              + String.join(", ", header) + "; needed: item or unit, policy, rater, decision)"));
        }
      }
      while (it.hasNextValue()) {
        int line = parser.currentLocation().getLineNr();
        List<String> row = it.nextValue();
        if (row.size() == 1 && row.get(0).isBlank()) {
          continue;
        }
        String id = cell(row, col.get(byUnit ? "unit" : "item"));
        String policy = cell(row, col.get("policy"));
        String rater = cell(row, col.get("rater"));
        String decision = map.apply(cell(row, col.get("decision")));
        String category = col.containsKey("category") ? cell(row, col.get("category")) : null;
        String at = col.containsKey("at") ? cell(row, col.get("at")) : null;
        String idField = byUnit ? "unit" : "item";
        if (id == null) {
          throw new InputException(Problem.at(source, line, idField, "missing"));
        }
        if (unitsOf != null && !check.units.containsKey(id)) {
          throw new InputException(Problem.at(source, line, idField, "unit \"" + id + "\" is in no " + unitsOf));
        }
        Queue.Item item = check.item(id, byUnit, Problem.at(source, line, idField, ""));
        if (policy == null) {
          throw new InputException(Problem.at(source, line, "policy", "missing"));
        }
        ReviewPolicy p = check.policy(policy, Problem.at(source, line, "policy", ""));
        if (decision == null) {
          continue; // not answered: the missing-answer check reports it if it was needed
        }
        if (rater == null) {
          throw new InputException(Problem.at(source, line, "rater", "missing"));
        }
        check.rater(item, rater, Problem.at(source, line, "rater", ""));
        check.decision(p, decision, Problem.at(source, line, "decision", ""));
        check.category(p, category, Problem.at(source, line, "category", ""));
        sink.accept(new QueueAnswer(item, p, rater, decision, category, at, Problem.at(source, line, "rater", "")));
      }
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InputException(Problem.at(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "",
          "invalid CSV: " + Json.parserMessage(e)));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  private static String cell(List<String> row, int c) {
    if (c >= row.size()) {
      return null;
    }
    String v = row.get(c).strip();
    return v.isEmpty() ? null : v;
  }

  /**
   * A Label Studio JSON export: an array of tasks, each with {@code data.item} and
   * {@code annotations}; each annotation's {@code completed_by} (a user id, or an object with
   * {@code email}) is the rater, its {@code result} holds one {@code choices} entry per policy
   * control (and category control) of the queue's labeling configuration. Cancelled (skipped)
   * annotations are ignored; results of other controls are ignored.
   */
  private static void labelStudio(Path path, Queue q, Consumer<QueueAnswer> sink) {
    Located doc = Located.json(path);
    Checker check = new Checker(q);
    if (!doc.root().isArray()) {
      throw doc.error("", "expected a Label Studio JSON export: an array of tasks");
    }
    Map<String, ReviewPolicy> decisionControls = new HashMap<>();
    Map<String, ReviewPolicy> categoryControls = new HashMap<>();
    for (ReviewPolicy p : q.policies()) {
      decisionControls.put(Queue.control(p.key()), p);
      categoryControls.put(Queue.categoryControl(p.key()), p);
    }
    JsonNode tasks = doc.root();
    for (int t = 0; t < tasks.size(); t++) {
      JsonNode task = tasks.get(t);
      String tp = "[" + t + "]";
      JsonNode itemNode = task.path("data").path("item");
      if (!itemNode.isTextual()) {
        throw doc.error(tp + ".data.item", itemNode.isMissingNode() ? "missing; was this task exported from the"
            + " queue's label-studio.json?" : "expected a string, found " + itemNode);
      }
      Queue.Item item = check.item(itemNode.asText(), false, doc.problem(tp + ".data.item", ""));
      JsonNode annotations = task.path("annotations");
      for (int a = 0; a < annotations.size(); a++) {
        JsonNode ann = annotations.get(a);
        String ap = tp + ".annotations[" + a + "]";
        if (ann.path("was_cancelled").asBoolean(false)) {
          continue;
        }
        JsonNode by = ann.get("completed_by");
        String rater;
        if (by != null && by.isObject()) {
          rater = by.hasNonNull("email") ? by.get("email").asText() : by.path("id").asText(null);
        } else if (by != null && (by.isIntegralNumber() || by.isTextual())) {
          rater = by.asText();
        } else {
          rater = null;
        }
        if (rater == null || rater.isEmpty()) {
          throw doc.error(ap + ".completed_by", "missing; the rater who made the annotation");
        }
        String at = ann.hasNonNull("created_at") ? ann.get("created_at").asText() : null;
        Map<ReviewPolicy, String[]> found = new java.util.LinkedHashMap<>();
        Map<ReviewPolicy, String> where = new HashMap<>();
        JsonNode results = ann.path("result");
        for (int r = 0; r < results.size(); r++) {
          JsonNode res = results.get(r);
          String rp = ap + ".result[" + r + "]";
          String from = res.path("from_name").asText("");
          ReviewPolicy dp = decisionControls.get(from);
          ReviewPolicy cp = categoryControls.get(from);
          if (dp == null && cp == null) {
            continue;
          }
          JsonNode choices = res.path("value").path("choices");
          if (!choices.isArray() || choices.size() != 1 || !choices.get(0).isTextual()) {
            throw doc.error(rp + ".value.choices", "expected one choice, found " + choices);
          }
          String value = choices.get(0).asText();
          if (dp != null) {
            check.decision(dp, value, doc.problem(rp + ".value.choices", ""));
            found.computeIfAbsent(dp, k -> new String[2])[0] = value;
            where.put(dp, ap + ".completed_by");
          } else {
            check.category(cp, value, doc.problem(rp + ".value.choices", ""));
            found.computeIfAbsent(cp, k -> new String[2])[1] = value;
          }
        }
        check.rater(item, rater, doc.problem(ap + ".completed_by", ""));
        for (Map.Entry<ReviewPolicy, String[]> e : found.entrySet()) {
          if (e.getValue()[0] == null) {
            continue; // a category without a decision: the decision counts as missing
          }
          sink.accept(new QueueAnswer(item, e.getKey(), rater, e.getValue()[0], e.getValue()[1], at,
              doc.problem(where.get(e.getKey()), "")));
        }
      }
    }
  }

  static List<QueueAnswer> readAll(List<Path> paths, Queue q, DecisionMap map) {
    List<QueueAnswer> all = new ArrayList<>();
    for (Path p : paths) {
      read(p, q, map, all::add);
    }
    return all;
  }
}
