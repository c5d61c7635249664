package dev.plumb.units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The assembly of units from logging tables in SQL (docs/units.md), written once and run by both
 * engines: {@link UnitBuilder} on DuckDB and the spark module's job on Spark SQL. Each step reads
 * the mapped columns, counts its data problems and resolves them by the documented rule; an
 * {@link Engine} runs the statements and a {@link SqlDialect} renders the few spots where the two
 * SQLs differ. The same tables therefore give the same counters and the same rows in either engine
 * (checked byte for byte by the spark module's tests).
 *
 * <p>Relations it defines, in order: {@code i0} (interactions, one per id), {@code p} (pins),
 * {@code c} (components: valid, of a known interaction and pin, one pin per position and one
 * position per pin), {@code i} (interactions with at least one component), {@code w} (weight per
 * interaction), {@code s} (one score per entity and policy), {@code us} (unit scores by the
 * configured aggregate) and, for the engines' last query, {@code comps}.
 */
public final class UnitsSql {

  /** What runs the statements. Each call is one step; a failure of a table's own query is its problem. */
  public interface Engine {
    /** The column names of a table's files; a file that cannot be read is the table's problem. */
    List<String> columns(UnitsConfig.Table t);

    /** The table's files as a relation to select from. */
    String source(UnitsConfig.Table t);

    /**
     * Defines {@code name} as {@code select} over the table's files; a failure to read them, now or
     * in the first {@link #row} over {@code name}, is the table's problem.
     */
    void load(UnitsConfig.Table t, String name, String select);

    /** Defines {@code name} as the rows of {@code select}, computed once. */
    void define(String name, String select);

    /** Makes {@code name} another name for the relation {@code of}, computing nothing. */
    void alias(String name, String of);

    /** Tells the engine that {@code name} is no longer read (it may free it). */
    void drop(String name);

    /**
     * The one row of {@code sql}, as numbers (whole numbers as Long, others as Double) or null;
     * with {@code t} set, a failure is that table's problem.
     */
    List<Number> row(UnitsConfig.Table t, String sql);

    /** The first column of every row of {@code sql}. */
    List<String> strings(String sql);
  }

  /**
   * What the steps found, before the units are written.
   *
   * @param weighted whether an impressions table gives the weights (else every unit weighs 1)
   * @param policies the scored policies, in score column order ({@code us.s0}, {@code us.s1}, …)
   * @param problems every counter of {@link UnitBuilder#PROBLEMS}
   * @param rows table → rows read
   * @param imputed policy → units whose score is imputed
   * @param imputedValue policy → the value they get
   */
  public record Assembly(boolean weighted, List<String> policies, Map<String, Long> problems, Map<String, Long> rows,
      Map<String, Long> imputed, Map<String, Double> imputedValue) {}

  private final UnitsConfig cfg;
  private final Engine engine;
  private final SqlDialect sql;
  private final List<String> attrNames;
  private final Map<String, Long> problems = new LinkedHashMap<>();
  private final Map<String, Long> rows = new LinkedHashMap<>();

  public UnitsSql(UnitsConfig cfg, Engine engine, SqlDialect dialect) {
    this.cfg = cfg;
    this.engine = engine;
    this.sql = dialect;
    this.attrNames = List.copyOf(cfg.attributes().keySet());
    for (String p : UnitBuilder.PROBLEMS) {
      problems.put(p, 0L);
    }
  }

  /** Runs every step up to the unit scores; then {@link #defineComponents} and {@link #unitColumns}. */
  public Assembly assemble() {
    interactions();
    pins();
    components();
    // a unit needs a component: interactions with no query, no response and no known pin are dropped
    long before = count("SELECT count(*) FROM i0");
    engine.define("i", """
        SELECT i0.* FROM i0 LEFT JOIN (SELECT DISTINCT interaction FROM c) ci ON ci.interaction = i0.id
        WHERE i0.query IS NOT NULL OR i0.response IS NOT NULL OR ci.interaction IS NOT NULL""");
    engine.drop("i0");
    problems.put("empty_units", before - count("SELECT count(*) FROM i"));
    boolean weighted = cfg.tables().containsKey("impressions");
    if (weighted) {
      impressions();
    }
    List<String> policies = cfg.tables().containsKey("risk_scores") ? scores() : List.of();
    Map<String, Long> imputed = new LinkedHashMap<>();
    Map<String, Double> imputedValue = new LinkedHashMap<>();
    unitScores(policies, imputed, imputedValue);
    problems.put("imputed_scores", imputed.values().stream().mapToLong(Long::longValue).sum());
    return new Assembly(weighted, policies, problems, rows, imputed, imputedValue);
  }

  /**
   * Defines {@code comps}: every unit's components with {@code unit, ord, position, cid, kind, text,
   * image}, in component order by {@code (ord, position)}: the query, the response, then the pins
   * by position (a pin whose id is {@code query} or {@code response} gets the component id
   * {@code pin:<id>}).
   */
  public void defineComponents() {
    String none = "CAST(NULL AS " + sql.string() + ")";
    engine.define("comps", """
        SELECT id AS unit, 0 AS ord, CAST(0 AS BIGINT) AS position, 'query' AS cid, 'query' AS kind,
               query AS text, %1$s AS image
          FROM i WHERE query IS NOT NULL
        UNION ALL
        SELECT id, 1, CAST(0 AS BIGINT), 'response', 'response', response, %1$s
          FROM i WHERE response IS NOT NULL
        UNION ALL
        SELECT c.interaction, 2, c.position,
               CASE WHEN c.pin IN ('query', 'response') THEN concat('pin:', c.pin) ELSE c.pin END,
               'pin', p.text, p.image
          FROM c JOIN p ON p.id = c.pin""".formatted(none));
  }

  /**
   * The leading columns of the units query: {@code i.id}, the weight, each attribute, the user hash
   * (or null); the caller adds the scores and components, then {@code FROM ... JOIN i}.
   */
  public String unitColumns(boolean weighted) {
    StringBuilder s = new StringBuilder("SELECT i.id, ");
    s.append(weighted ? "coalesce(w.weight, CAST(0 AS DOUBLE))" : "CAST(1 AS DOUBLE)").append(" AS weight");
    for (int k = 0; k < attrNames.size(); k++) {
      s.append(", i.a").append(k);
    }
    s.append(cfg.user() == UnitsConfig.UserMode.HASH ? ", i.user_hash" : ", CAST(NULL AS " + sql.string() + ")");
    return s.toString();
  }

  /** The joins that bring each unit its weight and scores, after {@code JOIN i}. */
  public static String unitJoins(Assembly a) {
    return (a.weighted() ? " LEFT JOIN w ON w.entity = i.id" : "")
        + (a.policies().isEmpty() ? "" : " LEFT JOIN us ON us.unit = i.id");
  }

  // ---- tables, one step each ----------------------------------------------------------------

  private void interactions() {
    UnitsConfig.Table t = cfg.tables().get("interactions");
    List<String> have = engine.columns(t);
    StringBuilder q = new StringBuilder("SELECT ");
    q.append(text(t, "id", have)).append(" AS id");
    q.append(", ").append(trimmed(t, "query", have)).append(" AS query");
    q.append(", ").append(trimmed(t, "response", have)).append(" AS response");
    List<String> order = new ArrayList<>(List.of("query", "response"));
    int k = 0;
    for (Map.Entry<String, String> a : cfg.attributes().entrySet()) {
      if (!have.contains(a.getValue())) {
        throw cfg.problem("units.attributes." + a.getKey(), "no column \"" + a.getValue() + "\" in "
            + String.join(", ", t.paths()) + " (its columns: " + String.join(", ", have) + ")");
      }
      q.append(", CAST(").append(sql.ident(a.getValue())).append(" AS ").append(sql.string()).append(") AS a").append(k);
      order.add("a" + k);
      k++;
    }
    if (cfg.user() == UnitsConfig.UserMode.HASH) {
      String u = text(t, "user", have);
      q.append(", CASE WHEN ").append(u).append(" IS NULL OR ").append(u).append(" = '' THEN NULL ELSE ")
          .append(sql.userHash(u, cfg.userSalt() + ":")).append(" END AS user_hash");
      order.add("user_hash");
    } else if (t.column("user").isPresent()) {
      text(t, "user", have); // checked, never read
    }
    q.append(" FROM ").append(engine.source(t));
    engine.load(t, "src_i", q.toString());
    String keep = deduplicate(t, "src_i", "interactions_without_id", "duplicate_interactions",
        order.stream().map(col -> col + " ASC NULLS LAST").collect(Collectors.joining(", ")));
    engine.define("i0", "SELECT id, " + String.join(", ", order) + " FROM " + keep);
    engine.drop("src_i");
  }

  private void pins() {
    UnitsConfig.Table t = cfg.tables().get("pins");
    List<String> have = engine.columns(t);
    engine.load(t, "src_p", "SELECT " + text(t, "id", have) + " AS id, " + trimmed(t, "title", have) + " AS title, "
        + trimmed(t, "description", have) + " AS description, " + trimmed(t, "image", have) + " AS image FROM "
        + engine.source(t));
    String keep = deduplicate(t, "src_p", "pins_without_id", "duplicate_pins",
        "title ASC NULLS LAST, description ASC NULLS LAST, image ASC NULLS LAST");
    engine.define("p", "SELECT id, concat_ws(" + sql.newline() + ", title, description) AS text, image FROM " + keep);
    engine.drop("src_p");
    problems.put("pins_without_text", count("SELECT count(*) FROM p WHERE text = ''"));
  }

  /**
   * Counts the rows of {@code src} (the table's rows), those without an id and the repeated ids; the
   * relation that keeps, of each id, the first row by {@code order}.
   */
  private String deduplicate(UnitsConfig.Table t, String src, String withoutId, String duplicates, String order) {
    List<Number> r = engine.row(t, "SELECT count(*), count_if(id IS NULL OR id = ''), "
        + "count(DISTINCT CASE WHEN id <> '' THEN id END) FROM " + src);
    rows.put(t.name(), r.get(0).longValue());
    long missing = r.get(1).longValue();
    long valid = r.get(0).longValue() - missing;
    long distinct = r.get(2).longValue();
    problems.put(withoutId, missing);
    problems.put(duplicates, valid - distinct);
    String where = " FROM " + src + " WHERE id IS NOT NULL AND id <> ''";
    return valid == distinct ? "(SELECT *" + where + ")"
        : "(SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY " + order + ") AS rn_" + where
            + ") WHERE rn_ = 1)";
  }

  private void components() {
    UnitsConfig.Table t = cfg.tables().get("components");
    List<String> have = engine.columns(t);
    engine.load(t, "src_c", "SELECT " + text(t, "interaction", have) + " AS interaction, TRY_CAST(trim("
        + text(t, "position", have) + ") AS BIGINT) AS position, " + text(t, "pin", have) + " AS pin FROM "
        + engine.source(t));
    String valid = "interaction IS NOT NULL AND interaction <> '' AND pin IS NOT NULL AND pin <> '' "
        + "AND position IS NOT NULL";
    List<Number> r = engine.row(t, "SELECT count(*), count_if(" + valid + ") FROM src_c");
    rows.put(t.name(), r.get(0).longValue());
    long good = r.get(1).longValue();
    problems.put("invalid_components", r.get(0).longValue() - good);
    engine.define("c1", "SELECT src_c.* FROM src_c " + sql.semiJoin() + " i0 ON i0.id = src_c.interaction WHERE " + valid);
    engine.drop("src_c");
    long known = count("SELECT count(*) FROM c1");
    problems.put("components_of_unknown_interactions", good - known);
    long positions = distinct("c1", known, "c2", "interaction, position", "interaction, position, min(pin) AS pin",
        "duplicate_component_positions");
    long pairs = distinct("c2", positions, "c3", "interaction, pin", "interaction, min(position) AS position, pin",
        "repeated_pins_in_interaction");
    engine.define("c", "SELECT c3.* FROM c3 " + sql.semiJoin() + " p ON p.id = c3.pin");
    for (String done : List.of("c3", "c2", "c1")) {
      engine.drop(done);
    }
    problems.put("unknown_pins", pairs - count("SELECT count(*) FROM c"));
  }

  /**
   * {@code to}: one row of {@code from} (which has {@code rows} rows) per distinct {@code key}, the
   * others' columns chosen by {@code select}'s aggregates; the rows dropped are counted as
   * {@code problem}. Returns the rows kept.
   */
  private long distinct(String from, long rows, String to, String key, String select, String problem) {
    long kept = count("SELECT count(*) FROM (SELECT DISTINCT " + key + " FROM " + from + ")");
    problems.put(problem, rows - kept);
    if (rows != kept) {
      engine.define(to, "SELECT " + select + " FROM " + from + " GROUP BY " + key);
    } else {
      engine.alias(to, from);
    }
    return kept;
  }

  private void impressions() {
    UnitsConfig.Table t = cfg.tables().get("impressions");
    List<String> have = engine.columns(t);
    boolean byDay = t.column("day").isPresent();
    engine.load(t, "src_w", "SELECT " + text(t, "entity", have) + " AS entity, TRY_CAST(trim("
        + text(t, "count", have) + ") AS DOUBLE) AS n" + (byDay ? ", " + text(t, "day", have) + " AS day" : "")
        + " FROM " + engine.source(t));
    String valid = "entity IS NOT NULL AND entity <> '' AND n IS NOT NULL AND NOT isnan(n) AND " + sql.finite("n")
        + " AND n >= 0";
    List<Number> r = engine.row(t, "SELECT count(*), count_if(" + valid + ") FROM src_w");
    rows.put(t.name(), r.get(0).longValue());
    long good = r.get(1).longValue();
    problems.put("invalid_impressions", r.get(0).longValue() - good);
    if (byDay) {
      long keys = count("SELECT count(*) FROM (SELECT DISTINCT entity, day FROM src_w WHERE " + valid + ")");
      problems.put("duplicate_impressions", good - keys);
      engine.define("w", "SELECT entity, sum(n) AS weight FROM (SELECT entity, day, max(n) AS n FROM src_w WHERE "
          + valid + " GROUP BY entity, day) GROUP BY entity");
    } else {
      engine.define("w", "SELECT entity, sum(n) AS weight FROM src_w WHERE " + valid + " GROUP BY entity");
    }
    engine.drop("src_w");
    problems.put("interactions_without_impressions",
        count("SELECT count(*) FROM i " + sql.antiJoin() + " w ON w.entity = i.id"));
  }

  private List<String> scores() {
    UnitsConfig.Table t = cfg.tables().get("risk_scores");
    List<String> have = engine.columns(t);
    engine.load(t, "src_s", "SELECT " + text(t, "entity", have) + " AS entity, " + text(t, "policy", have)
        + " AS policy, TRY_CAST(trim(" + text(t, "score", have) + ") AS DOUBLE) AS score FROM " + engine.source(t));
    String valid = "entity IS NOT NULL AND entity <> '' AND policy IS NOT NULL AND policy <> '' "
        + "AND score IS NOT NULL AND score >= 0 AND score <= 1";
    String list = cfg.policies().stream().map(sql::literal).collect(Collectors.joining(", "));
    String selected = cfg.policies().isEmpty() ? "" : " AND policy IN (" + list + ")";
    String considered = cfg.policies().isEmpty() ? "TRUE" : "policy IS NULL OR policy = '' OR policy IN (" + list + ")";
    List<Number> r = engine.row(t, "SELECT count(*), count_if(" + considered + "), count_if(" + valid + selected
        + ") FROM src_s");
    rows.put(t.name(), r.get(0).longValue());
    long good = r.get(2).longValue();
    problems.put("invalid_scores", r.get(1).longValue() - good);
    long keys = count("SELECT count(*) FROM (SELECT DISTINCT entity, policy FROM src_s WHERE " + valid + selected + ")");
    problems.put("duplicate_scores", good - keys);
    engine.define("s", "SELECT entity, policy, max(score) AS score FROM src_s WHERE " + valid + selected
        + " GROUP BY entity, policy");
    engine.drop("src_s");
    return cfg.policies().isEmpty() ? engine.strings("SELECT DISTINCT policy FROM s ORDER BY policy") : cfg.policies();
  }

  /**
   * {@code us}: each unit's score per policy, the aggregate over its own text's and its pins'
   * scores (a mean rounded to 6 decimals); and per policy the units with none and the value they get.
   */
  private void unitScores(List<String> policies, Map<String, Long> imputed, Map<String, Double> value) {
    if (policies.isEmpty()) {
      return;
    }
    StringBuilder q = new StringBuilder("SELECT e.unit");
    for (int k = 0; k < policies.size(); k++) {
      String agg = cfg.aggregate().sql() + "(s.score) FILTER (WHERE s.policy = " + sql.literal(policies.get(k)) + ")";
      q.append(", ").append(cfg.aggregate() == UnitsConfig.Aggregate.MEAN ? "round(" + agg + ", 6)" : agg)
          .append(" AS s").append(k);
    }
    q.append(" FROM (SELECT id AS unit, id AS entity FROM i UNION ALL SELECT interaction, pin FROM c) e")
        .append(" JOIN s ON s.entity = e.entity GROUP BY e.unit");
    engine.define("us", q.toString());
    StringBuilder counts = new StringBuilder("SELECT count(*)");
    StringBuilder means = new StringBuilder("SELECT count(*)");
    for (int k = 0; k < policies.size(); k++) {
      counts.append(", count_if(us.s").append(k).append(" IS NULL)");
      means.append(", round(avg(s").append(k).append("), 6)");
    }
    List<Number> missing = engine.row(null, counts + " FROM i LEFT JOIN us ON us.unit = i.id");
    List<Number> mean = cfg.missing().rule().equals("mean") ? engine.row(null, means + " FROM us") : null;
    for (int k = 0; k < policies.size(); k++) {
      String p = policies.get(k);
      imputed.put(p, missing.get(k + 1).longValue());
      double v = switch (cfg.missing().rule()) {
        case "zero" -> 0;
        case "value" -> cfg.missing().value();
        default -> mean.get(k + 1) == null ? 0 : mean.get(k + 1).doubleValue();
      };
      value.put(p, v);
    }
  }

  // ---- column expressions --------------------------------------------------------------------

  /** The mapped column as a string, after checking it exists; null when the optional column is not mapped. */
  private String text(UnitsConfig.Table t, String logical, List<String> have) {
    String col = t.columns().get(logical);
    if (col == null) {
      return "CAST(NULL AS " + sql.string() + ")";
    }
    if (!have.contains(col)) {
      throw cfg.problem("tables." + t.name() + ".columns." + logical, "no column \"" + col + "\" in "
          + String.join(", ", t.paths()) + " (its columns: " + String.join(", ", have) + ")");
    }
    return "CAST(" + sql.ident(col) + " AS " + sql.string() + ")";
  }

  /** Text trimmed of spaces (U+0020); empty becomes null. */
  private String trimmed(UnitsConfig.Table t, String logical, List<String> have) {
    return "nullif(trim(" + text(t, logical, have) + "), '')";
  }

  private long count(String q) {
    return engine.row(null, q).get(0).longValue();
  }
}
