package dev.plumb.units;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A {@code units.yaml}: which logging tables to read, how their columns map to plumb's names, and
 * how to assemble units (docs/units.md). Every problem names {@code file:line:col: field}.
 *
 * <pre>
 * tables:
 *   interactions: {path: interactions/*.csv, columns: {id: interaction_id, surface: surface, ...}}
 *   components:   {path: components/*.csv,   columns: {interaction: interaction_id, position: position, pin: pin_id}}
 *   pins:         {path: pins.csv,           columns: {id: pin_id, title: title, description: description, image: image_url}}
 *   impressions:  {path: impressions/*.csv,  columns: {entity: interaction_id, count: impressions}}
 *   risk_scores:  {path: risk_scores.csv,    columns: {entity: entity_id, policy: policy, score: score}}
 * units:
 *   attributes: {surface: surface, day: day}
 *   user: drop            # or hash (with user_salt)
 *   scores: {aggregate: max, missing: mean}
 * </pre>
 *
 * @param file the config file as named by the user
 * @param tables the tables by logical name, in the order above; impressions and risk_scores optional
 * @param attributes unit attribute name → column of the interactions table, in output order
 * @param user what happens to user ids
 * @param userSalt the salt for {@link UserMode#HASH} (empty otherwise)
 * @param aggregate how component scores become the unit's score
 * @param missing the imputation rule for a unit with no scored component
 * @param policies the policies to score (empty = every policy in risk_scores)
 */
public record UnitsConfig(Path file, Map<String, Table> tables, Map<String, String> attributes, UserMode user,
    String userSalt, Aggregate aggregate, Missing missing, List<String> policies, LocatedYaml located) {

  public enum Format { CSV, JSONL, PARQUET }

  public enum UserMode { DROP, HASH }

  /** How a unit's score for a policy is made from its components' scores. */
  public enum Aggregate {
    MAX, MEAN, MIN;

    String sql() {
      return switch (this) {
        case MAX -> "max";
        case MEAN -> "avg";
        case MIN -> "min";
      };
    }
  }

  /**
   * The imputation rule for a unit none of whose components has a score: {@code mean} (the mean of
   * the other units' scores for that policy, rounded to 6 decimals), {@code zero}, or a fixed value.
   */
  public record Missing(String rule, double value) {
    public static Missing mean() {
      return new Missing("mean", Double.NaN);
    }

    @Override
    public String toString() {
      return rule.equals("value") ? Double.toString(value) : rule;
    }
  }

  /**
   * One logging table.
   *
   * @param name the logical name (interactions, components, pins, impressions, risk_scores)
   * @param files the files the path globs matched, sorted
   * @param columns logical column name → the column in the files
   */
  public record Table(String name, List<String> paths, List<Path> files, Format format, String delimiter,
      Map<String, String> columns) {
    public Optional<String> column(String logical) {
      return Optional.ofNullable(columns.get(logical));
    }
  }

  /** Required and optional logical columns per table. */
  static final Map<String, List<String>> REQUIRED = Map.of(
      "interactions", List.of("id"),
      "components", List.of("interaction", "position", "pin"),
      "pins", List.of("id"),
      "impressions", List.of("entity", "count"),
      "risk_scores", List.of("entity", "policy", "score"));
  static final Map<String, List<String>> OPTIONAL = Map.of(
      "interactions", List.of("user", "day", "surface", "query", "response"),
      "components", List.of(),
      "pins", List.of("title", "description", "image"),
      "impressions", List.of("day"),
      "risk_scores", List.of());
  private static final LocatedYaml.Kind UNITS_FILE = LocatedYaml.Kind.of("units config");
  static final List<String> TABLES = List.of("interactions", "components", "pins", "impressions", "risk_scores");

  /** Reads and checks {@code path}; table paths are relative to its directory. */
  public static UnitsConfig read(Path path) {
    return of(LocatedYaml.read(path, UNITS_FILE), path);
  }

  /** Parses units.yaml text; {@code path} names it in messages and anchors relative table paths. */
  public static UnitsConfig parse(String text, Path path) {
    return of(LocatedYaml.parse(text, path.toString(), UNITS_FILE), path);
  }

  private static UnitsConfig of(LocatedYaml y, Path path) {
    JsonNode root = y.isEmpty() ? Json.object() : y.tree();
    if (!root.isObject()) {
      throw y.error("", "expected a mapping with tables: and units:");
    }
    only(y, "", List.of("tables", "units"));
    JsonNode tablesNode = root.get("tables");
    if (tablesNode == null || !tablesNode.isObject()) {
      throw tablesNode == null
          ? new InputException(Problem.at(path.toString(), 1, 1, "tables", "missing; it maps interactions, components and pins (at least)"))
          : y.error("tables", "expected a mapping of table names to {path:, columns:}");
    }
    only(y, "tables", TABLES);
    Path base = path.toAbsolutePath().getParent();
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String name : TABLES) {
      JsonNode t = tablesNode.get(name);
      if (t == null) {
        if (REQUIRED_TABLES.contains(name)) {
          throw y.errorAtKey("tables", "missing table \"" + name + "\"");
        }
        continue;
      }
      tables.put(name, table(y, base, name, t));
    }

    JsonNode units = root.get("units");
    if (units != null && !units.isObject() && !units.isNull()) {
      throw y.error("units", "expected a mapping (attributes:, user:, user_salt:, scores:)");
    }
    if (units == null || units.isNull()) {
      units = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    only(y, "units", List.of("attributes", "user", "user_salt", "scores"));
    Table interactions = tables.get("interactions");
    Map<String, String> attributes = new LinkedHashMap<>();
    JsonNode attrs = units.get("attributes");
    if (attrs == null) {
      interactions.column("surface").ifPresent(c -> attributes.put("surface", c));
      interactions.column("day").ifPresent(c -> attributes.put("day", c));
    } else if (attrs.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "units.attributes." + e.getKey();
        if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
          throw y.error(field, "expected the name of a column of the interactions table");
        }
        if (e.getKey().equals("user")) {
          throw y.errorAtKey(field, "\"user\" is reserved for the hashed user id (units.user: hash)");
        }
        attributes.put(e.getKey(), e.getValue().asText());
      }
    } else if (attrs.isArray()) {
      for (int i = 0; i < attrs.size(); i++) {
        JsonNode a = attrs.get(i);
        if (!a.isTextual() || a.asText().isBlank()) {
          throw y.error("units.attributes[" + i + "]", "expected a column name of the interactions table");
        }
        attributes.put(a.asText(), interactions.column(a.asText()).orElse(a.asText()));
      }
    } else {
      throw y.error("units.attributes", "expected a mapping of attribute name to interactions column, or a list of columns");
    }

    UserMode user = UserMode.DROP;
    String salt = "";
    JsonNode u = units.get("user");
    if (u != null) {
      user = switch (u.asText()) {
        case "drop" -> UserMode.DROP;
        case "hash" -> UserMode.HASH;
        default -> throw y.error("units.user", "expected drop or hash, found \"" + u.asText() + "\"");
      };
    }
    JsonNode s = units.get("user_salt");
    if (user == UserMode.HASH) {
      if (s == null || !s.isTextual() || s.asText().isEmpty()) {
        throw y.errorAtKey(s == null ? "units.user" : "units.user_salt",
            "user: hash needs user_salt: a secret string, so that hashed ids cannot be looked up");
      }
      if (interactions.column("user").isEmpty()) {
        throw y.error("units.user", "user: hash needs tables.interactions.columns.user");
      }
      salt = s.asText();
    } else if (s != null) {
      throw y.errorAtKey("units.user_salt", "only used with user: hash");
    }

    Aggregate aggregate = Aggregate.MAX;
    Missing missing = Missing.mean();
    List<String> policies = new ArrayList<>();
    JsonNode scores = units.get("scores");
    if (scores != null) {
      if (!scores.isObject()) {
        throw y.error("units.scores", "expected a mapping (aggregate:, missing:, policies:)");
      }
      only(y, "units.scores", List.of("aggregate", "missing", "policies"));
      JsonNode a = scores.get("aggregate");
      if (a != null) {
        aggregate = switch (a.asText()) {
          case "max" -> Aggregate.MAX;
          case "mean" -> Aggregate.MEAN;
          case "min" -> Aggregate.MIN;
          default -> throw y.error("units.scores.aggregate", "expected max, mean or min, found \"" + a.asText() + "\"");
        };
      }
      JsonNode m = scores.get("missing");
      if (m != null) {
        if (m.isNumber()) {
          double v = m.asDouble();
          if (!(v >= 0 && v <= 1)) {
            throw y.error("units.scores.missing", "a fixed score must be in [0, 1]: " + m.asText());
          }
          missing = new Missing("value", v);
        } else if (m.asText().equals("mean")) {
          missing = Missing.mean();
        } else if (m.asText().equals("zero")) {
          missing = new Missing("zero", 0);
        } else {
          throw y.error("units.scores.missing", "expected mean, zero or a number in [0, 1], found \"" + m.asText() + "\"");
        }
      }
      JsonNode ps = scores.get("policies");
      if (ps != null) {
        if (!ps.isArray()) {
          throw y.error("units.scores.policies", "expected a list of policy ids");
        }
        for (int i = 0; i < ps.size(); i++) {
          String id = ps.get(i).asText();
          if (!ps.get(i).isTextual() || !id.matches("[a-z][a-z0-9_]*")) {
            throw y.error("units.scores.policies[" + i + "]", "expected a policy id (lowercase, digits, _), found \"" + id + "\"");
          }
          if (policies.contains(id)) {
            throw y.error("units.scores.policies[" + i + "]", "listed twice: " + id);
          }
          policies.add(id);
        }
      }
      if (!tables.containsKey("risk_scores") && (ps != null)) {
        throw y.error("units.scores.policies", "needs tables.risk_scores");
      }
    }
    return new UnitsConfig(path, tables, attributes, user, salt, aggregate, missing,
        policies.stream().sorted().toList(), y);
  }

  private static final List<String> REQUIRED_TABLES = List.of("interactions", "components", "pins");

  private static Table table(LocatedYaml y, Path base, String name, JsonNode t) {
    String at = "tables." + name;
    if (!t.isObject()) {
      throw y.error(at, "expected {path:, columns:}");
    }
    only(y, at, List.of("path", "format", "delimiter", "columns"));
    JsonNode p = t.get("path");
    if (p == null) {
      throw y.errorAtKey(at, "missing path: (a file, a glob such as " + name + "/*.csv, or a list of them)");
    }
    List<String> patterns = new ArrayList<>();
    if (p.isTextual()) {
      patterns.add(p.asText());
    } else if (p.isArray() && !p.isEmpty()) {
      for (JsonNode e : p) {
        patterns.add(e.asText());
      }
    } else {
      throw y.error(at + ".path", "expected a file, a glob or a list of them");
    }
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String field = p.isArray() ? at + ".path[" + i + "]" : at + ".path";
      List<Path> matched = glob(base, patterns.get(i));
      if (matched.isEmpty()) {
        throw y.error(field, (hasGlob(patterns.get(i)) ? "no file matches " : "file not found: ") + patterns.get(i)
            + " (relative to " + base + ")");
      }
      files.addAll(matched);
    }
    Format format;
    JsonNode f = t.get("format");
    if (f != null) {
      format = switch (f.asText()) {
        case "csv" -> Format.CSV;
        case "jsonl", "json" -> Format.JSONL;
        case "parquet" -> Format.PARQUET;
        default -> throw y.error(at + ".format", "expected csv, jsonl or parquet, found \"" + f.asText() + "\"");
      };
    } else {
      format = null;
      for (Path file : files) {
        Format g = formatOf(file);
        if (g == null) {
          throw y.error(at + ".path", "cannot tell the format of " + file.getFileName()
              + " from its name (.csv, .tsv, .jsonl, .ndjson, .json, .parquet, optionally .gz); set format:");
        }
        if (format != null && g != format) {
          throw y.error(at + ".path", "mixes " + format.name().toLowerCase(Locale.ROOT) + " and "
              + g.name().toLowerCase(Locale.ROOT) + " files; one table, one format");
        }
        format = g;
      }
    }
    String delimiter = files.get(0).getFileName().toString().matches(".*\\.tsv(\\.gz)?$") ? "\t" : ",";
    JsonNode d = t.get("delimiter");
    if (d != null) {
      if (format != Format.CSV) {
        throw y.errorAtKey(at + ".delimiter", "only for csv tables");
      }
      if (!d.isTextual() || d.asText().length() != 1) {
        throw y.error(at + ".delimiter", "expected one character");
      }
      delimiter = d.asText();
    }
    JsonNode c = t.get("columns");
    if (c == null || !c.isObject()) {
      throw c == null ? y.errorAtKey(at, "missing columns: (" + String.join(", ", REQUIRED.get(name)) + " at least)")
          : y.error(at + ".columns", "expected a mapping of plumb's column names to the table's");
    }
    List<String> known = new ArrayList<>(REQUIRED.get(name));
    known.addAll(OPTIONAL.get(name));
    only(y, at + ".columns", known);
    Map<String, String> columns = new LinkedHashMap<>();
    for (String k : known) {
      JsonNode v = c.get(k);
      if (v == null) {
        if (REQUIRED.get(name).contains(k)) {
          throw y.errorAtKey(at + ".columns", "missing " + k + ": (the column that holds the " + describe(name, k) + ")");
        }
        continue;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        throw y.error(at + ".columns." + k, "expected a column name");
      }
      columns.put(k, v.asText());
    }
    return new Table(name, List.copyOf(patterns), List.copyOf(files), format, delimiter, columns);
  }

  private static String describe(String table, String column) {
    return switch (table + "." + column) {
      case "interactions.id" -> "interaction id";
      case "components.interaction" -> "interaction id";
      case "components.position" -> "display position";
      case "components.pin" -> "pin id";
      case "pins.id" -> "pin id";
      case "impressions.entity" -> "interaction id";
      case "impressions.count" -> "number of impressions";
      case "risk_scores.entity" -> "interaction or pin id";
      case "risk_scores.policy" -> "policy id";
      case "risk_scores.score" -> "score in [0, 1]";
      default -> column;
    };
  }

  static Format formatOf(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
    }
    if (n.endsWith(".csv") || n.endsWith(".tsv")) {
      return Format.CSV;
    }
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
      return Format.JSONL;
    }
    if (n.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    return null;
  }

  private static boolean hasGlob(String s) {
    return s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{");
  }

  /** Files matching a glob relative to {@code base} (or absolute), sorted by path. */
  static List<Path> glob(Path base, String pattern) {
    Path whole = base.resolve(pattern).normalize();
    if (!hasGlob(pattern)) {
      return Files.isRegularFile(whole) ? List.of(whole) : List.of();
    }
    // walk from the deepest directory without glob characters
    Path root = whole.getRoot() == null ? Path.of("") : whole.getRoot();
    Path dir = root;
    int depth = 0;
    for (Path part : whole) {
      if (hasGlob(part.toString())) {
        break;
      }
      dir = dir.resolve(part);
      depth++;
    }
    int levels = whole.getNameCount() - depth;
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + whole.toString().replace("\\", "\\\\"));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    boolean deep = pattern.contains("**");
    try (Stream<Path> s = Files.walk(dir, deep ? Integer.MAX_VALUE : levels)) {
      return s.filter(Files::isRegularFile).filter(m::matches).sorted().toList();
    } catch (IOException e) {
      throw new InputException(Problem.of(dir + ": cannot list: " + e.getMessage()), e);
    }
  }

  /** Throws at the first key of the mapping at {@code at} that is not {@code allowed}, with a suggestion. */
  private static void only(LocatedYaml y, String at, List<String> allowed) {
    if (!(y.node(at) instanceof LocatedYaml.MapNode)) {
      return; // the defaulted units: mapping, absent from the file
    }
    String what = at.startsWith("tables.") && at.endsWith(".columns") ? "column name" : "key";
    YamlFields.of(y.node(at), y.source(), YamlFields.failFast(), "a mapping").only(allowed, (key, suggestion) ->
        "unknown " + what + YamlFields.hint(suggestion) + " (expected " + String.join(", ", allowed) + ")");
  }

  /** A located problem for a field of this config (used when the data contradict it). */
  public InputException problem(String field, String message) {
    return located.error(field, message);
  }

  /** The policies named in {@code units.scores.policies}, or empty. */
  public TreeSet<String> policySet() {
    return new TreeSet<>(policies);
  }
}
