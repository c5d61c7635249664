package dev.plumb.units;

import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
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
    if (y.isEmpty()) {
      throw new InputException(Problem.at(y.source(), 1, 1, "tables", TABLES_MISSING));
    }
    YamlFields root = YamlFields.root(y, "a mapping with tables: and units:", YamlFields.failFast());
    only(root, List.of("tables", "units"));
    if (!root.has("tables")) {
      throw root.error("tables", TABLES_MISSING);
    }
    YamlFields tablesFields = root.object("tables", "a mapping of table names to {path:, columns:}");
    only(tablesFields, TABLES);
    Path base = path.toAbsolutePath().getParent();
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String name : TABLES) {
      if (tablesFields.node(name) == null) {
        if (REQUIRED_TABLES.contains(name)) {
          throw root.errorAtKey("tables", "missing table \"" + name + "\"");
        }
        continue;
      }
      tables.put(name, table(tablesFields, base, name));
    }

    YamlFields units = root.object("units", "a mapping (attributes:, user:, user_salt:, scores:)");
    if (units == null) {
      units = YamlFields.of(EMPTY_MAPPING, y.source(), YamlFields.failFast(), "a mapping");
    }
    only(units, List.of("attributes", "user", "user_salt", "scores"));
    Table interactions = tables.get("interactions");
    Map<String, String> attributes = new LinkedHashMap<>();
    Node attrs = units.node("attributes");
    if (attrs == null) {
      interactions.column("surface").ifPresent(c -> attributes.put("surface", c));
      interactions.column("day").ifPresent(c -> attributes.put("day", c));
    } else if (attrs instanceof MapNode) {
      YamlFields named = units.object("attributes");
      for (String name : named.keys()) {
        String column = named.string(name, true);
        if (name.equals("user")) {
          throw named.errorAtKey(name, "\"user\" is reserved for the hashed user id (units.user: hash)");
        }
        attributes.put(name, column);
      }
    } else if (attrs instanceof SeqNode) {
      for (String column : units.strings("attributes")) {
        attributes.put(column, interactions.column(column).orElse(column));
      }
    } else {
      throw units.error("attributes", "expected a mapping of attribute name to interactions column, or a list of columns");
    }

    UserMode user = "hash".equals(units.choice("user", false, List.of("drop", "hash"))) ? UserMode.HASH : UserMode.DROP;
    String salt = units.rawString("user_salt");
    if (user == UserMode.HASH) {
      if (salt == null || salt.isEmpty()) {
        throw units.errorAtKey(units.node("user_salt") == null ? "user" : "user_salt",
            "user: hash needs user_salt: a secret string, so that hashed ids cannot be looked up");
      }
      if (interactions.column("user").isEmpty()) {
        throw units.error("user", "user: hash needs tables.interactions.columns.user");
      }
    } else if (units.node("user_salt") != null) {
      throw units.errorAtKey("user_salt", "only used with user: hash");
    }

    Aggregate aggregate = Aggregate.MAX;
    Missing missing = Missing.mean();
    List<String> policies = new ArrayList<>();
    YamlFields scores = units.object("scores", "a mapping (aggregate:, missing:, policies:)");
    if (scores != null) {
      only(scores, List.of("aggregate", "missing", "policies"));
      String a = scores.choice("aggregate", false, List.of("max", "mean", "min"));
      if (a != null) {
        aggregate = Aggregate.valueOf(a.toUpperCase(Locale.ROOT));
      }
      missing = missing(scores);
      if (scores.has("policies")) {
        if (!tables.containsKey("risk_scores")) {
          throw scores.error("policies", "needs tables.risk_scores");
        }
        List<Node> items = scores.node("policies") instanceof SeqNode seq ? seq.items() : List.of();
        List<String> ids = scores.strings("policies");
        for (int i = 0; i < ids.size(); i++) {
          String id = ids.get(i);
          if (!id.matches("[a-z][a-z0-9_]*")) {
            throw scores.errorAt(items.get(i), "expected a policy id (lowercase, digits, _), got \"" + id + "\"");
          }
          if (policies.contains(id)) {
            throw scores.errorAt(items.get(i), "listed twice: " + id);
          }
          policies.add(id);
        }
      }
    }
    return new UnitsConfig(path, tables, attributes, user, salt == null ? "" : salt, aggregate, missing,
        policies.stream().sorted().toList(), y);
  }

  /** {@code units.scores.missing}: mean (the default), zero, or a fixed score in [0, 1]. */
  private static Missing missing(YamlFields scores) {
    Node m = scores.node("missing");
    if (m == null || YamlFields.isNull(m)) {
      return Missing.mean();
    }
    if (m instanceof Scalar s && s.value().isNumber()) {
      return new Missing("value", scores.number("missing", true, 0, 1));
    }
    if (m instanceof Scalar s && s.isString() && s.text().equals("mean")) {
      return Missing.mean();
    }
    if (m instanceof Scalar s && s.isString() && s.text().equals("zero")) {
      return new Missing("zero", 0);
    }
    throw scores.error("missing", "expected mean, zero or a number from 0 to 1, got " + m.describe());
  }

  private static final List<String> REQUIRED_TABLES = List.of("interactions", "components", "pins");
  private static final String TABLES_MISSING = "missing; it maps interactions, components and pins (at least)";
  private static final MapNode EMPTY_MAPPING = new MapNode("units", LocatedYaml.Position.UNKNOWN, Map.of());

  private static Table table(YamlFields tablesFields, Path base, String name) {
    YamlFields t = YamlFields.of(tablesFields.node(name), tablesFields.source(), YamlFields.failFast(), "{path:, columns:}");
    only(t, List.of("path", "format", "delimiter", "columns"));
    Node p = t.node("path");
    if (p == null) {
      throw tablesFields.errorAtKey(name, "missing path: (a file, a glob such as " + name + "/*.csv, or a list of them)");
    }
    List<String> patterns;
    List<Node> patternNodes;
    if (p instanceof Scalar s && s.isString()) {
      patterns = List.of(t.rawString("path"));
      patternNodes = List.of(p);
    } else if (p instanceof SeqNode seq && !seq.items().isEmpty()) {
      patterns = t.strings("path");
      patternNodes = seq.items();
    } else {
      throw t.error("path", "expected a file, a glob or a list of them, got " + p.describe());
    }
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      List<Path> matched = glob(base, patterns.get(i));
      if (matched.isEmpty()) {
        throw t.errorAt(patternNodes.get(i), (hasGlob(patterns.get(i)) ? "no file matches " : "file not found: ")
            + patterns.get(i) + " (relative to " + base + ")");
      }
      files.addAll(matched);
    }
    Format format;
    String f = t.choice("format", false, List.of("csv", "jsonl", "json", "parquet"));
    if (f != null) {
      format = f.equals("json") ? Format.JSONL : Format.valueOf(f.toUpperCase(Locale.ROOT));
    } else {
      format = null;
      for (Path file : files) {
        Format g = formatOf(file);
        if (g == null) {
          throw t.error("path", "cannot tell the format of " + file.getFileName()
              + " from its name (.csv, .tsv, .jsonl, .ndjson, .json, .parquet, optionally .gz); set format:");
        }
        if (format != null && g != format) {
          throw t.error("path", "mixes " + format.name().toLowerCase(Locale.ROOT) + " and "
              + g.name().toLowerCase(Locale.ROOT) + " files; one table, one format");
        }
        format = g;
      }
    }
    String delimiter = files.get(0).getFileName().toString().matches(".*\\.tsv(\\.gz)?$") ? "\t" : ",";
    if (t.node("delimiter") != null) {
      if (format != Format.CSV) {
        throw t.errorAtKey("delimiter", "only for csv tables");
      }
      // kept as written: a tab is white space that string() would strip
      String d = t.rawString("delimiter");
      if (d == null || d.length() != 1) {
        throw t.error("delimiter", "expected one character");
      }
      delimiter = d;
    }
    if (t.node("columns") == null) {
      throw tablesFields.errorAtKey(name, "missing columns: (" + String.join(", ", REQUIRED.get(name)) + " at least)");
    }
    YamlFields c = t.object("columns", "a mapping of plumb's column names to the table's");
    List<String> known = new ArrayList<>(REQUIRED.get(name));
    known.addAll(OPTIONAL.get(name));
    only(c, known);
    Map<String, String> columns = new LinkedHashMap<>();
    for (String k : known) {
      if (c.node(k) == null) {
        if (REQUIRED.get(name).contains(k)) {
          throw t.errorAtKey("columns", "missing " + k + ": (the column that holds the " + describe(name, k) + ")");
        }
        continue;
      }
      columns.put(k, c.string(k, true));
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

  /** Throws at the first key of {@code fields} that is not {@code allowed}, with a suggestion. */
  private static void only(YamlFields fields, List<String> allowed) {
    String what = fields.path().startsWith("tables.") && fields.path().endsWith(".columns") ? "column name" : "key";
    fields.only(allowed, (key, suggestion) ->
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
