package dev.plumb.units;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds units from logging tables with DuckDB, following the rules of docs/units.md: one unit per
 * interaction, components (query, response, pins by position), weight = impressions, scores =
 * aggregate over the components' risk scores, attributes from the interactions table, user ids
 * dropped or hashed. Data problems are counted, never hidden, and the rule that resolved each is
 * fixed and documented so that another engine (the Spark job) reproduces the same units.
 *
 * <p>Memory is bounded by DuckDB's {@code memory_limit}; beyond it DuckDB spills to a temporary
 * directory beside the output, removed afterwards. The output appears whole or not at all; a name
 * ending in {@code .gz} is written gzip-compressed.
 */
public final class UnitBuilder {

  /** Problem counters, in report order; each is documented in docs/units.md. */
  public static final List<String> PROBLEMS = List.of(
      "interactions_without_id", "duplicate_interactions",
      "invalid_components", "components_of_unknown_interactions", "duplicate_component_positions",
      "repeated_pins_in_interaction", "unknown_pins",
      "pins_without_id", "duplicate_pins", "pins_without_text",
      "invalid_impressions", "duplicate_impressions", "interactions_without_impressions",
      "invalid_scores", "duplicate_scores", "imputed_scores",
      "empty_units");

  /**
   * @param memory DuckDB memory limit, e.g. {@code 1GB}
   * @param threads DuckDB worker threads (≥ 1)
   * @param createdBy the tool and version for the manifest
   */
  public record Options(UnitsConfig config, Path out, boolean strict, String memory, int threads, String createdBy) {
    public Options {
      if (!memory.matches("(?i)\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)")) {
        throw new InputException("--memory must look like 512MB or 2GB: " + memory);
      }
      if (threads < 1) {
        throw new InputException("--threads must be at least 1: " + threads);
      }
    }
  }

  /**
   * What a build did.
   *
   * @param written false when {@code --strict} found problems (nothing was written)
   * @param problems every counter of {@link #PROBLEMS}, zero or not
   * @param imputed policy → units whose score was imputed
   * @param imputedValue policy → the value they got
   * @param rows table → rows read
   */
  public record Summary(long units, long components, double weight, List<String> policies,
      Map<String, Long> problems, Map<String, Long> imputed, Map<String, Double> imputedValue,
      Map<String, Long> rows, Path manifest, boolean written, double seconds) {
    public long problemCount() {
      return problems.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private UnitBuilder() {}

  /** The manifest path beside a units file: {@code units.jsonl} → {@code units.json}. */
  public static Path manifestFor(Path out) {
    String name = out.getFileName().toString();
    String stem = name.endsWith(".jsonl.gz") ? name.substring(0, name.length() - 9)
        : name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return out.resolveSibling(stem + ".json");
  }

  public static Summary build(Options o) {
    long t0 = System.nanoTime();
    if (TRACE) {
      System.err.println("units: start");
    }
    Path dir = o.out().toAbsolutePath().getParent();
    Path temp = dir.resolve(".plumb-units-" + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(dir);
      try (Connection c = Duck.open(temp, o.memory(), o.threads())) {
        return new Run(o, c).run(t0);
      }
    } catch (SQLException e) {
      throw new PlumbException("DuckDB failed: " + firstLine(e.getMessage()), e);
    } catch (IOException e) {
      throw new PlumbException("cannot write " + o.out() + ": " + e.getMessage(), e);
    } finally {
      deleteTree(temp);
    }
  }

  /**
   * The {@code units.json} manifest of a build, the same for every engine (DuckDB here, Spark in the
   * spark module) but for {@code engine} and {@code seconds}.
   */
  public static ObjectNode manifest(UnitsConfig cfg, Summary s, String engine, String createdBy) {
    ObjectNode m = Json.object();
    m.put("format", "plumb.units/1");
    m.put("units", s.units());
    m.put("components", s.components());
    if (s.weight() == Math.rint(s.weight()) && s.weight() < 1e15) {
      m.put("weight", (long) s.weight());
    } else {
      m.put("weight", s.weight());
    }
    ObjectNode config = m.putObject("config");
    config.put("path", cfg.file().toString());
    config.put("sha256", Hashing.sha256(cfg.file()));
    ObjectNode inputs = m.putObject("inputs");
    for (UnitsConfig.Table t : cfg.tables().values()) {
      ObjectNode n = inputs.putObject(t.name());
      ArrayNode files = n.putArray("files");
      Path base = cfg.file().toAbsolutePath().getParent();
      t.files().forEach(f -> files.add(base.relativize(f).toString()));
      n.put("rows", s.rows().getOrDefault(t.name(), 0L));
    }
    ObjectNode scores = m.putObject("scores");
    scores.put("aggregate", cfg.aggregate().name().toLowerCase(Locale.ROOT));
    scores.put("missing", cfg.missing().toString());
    ArrayNode ps = scores.putArray("policies");
    s.policies().forEach(ps::add);
    ObjectNode imp = scores.putObject("imputed");
    for (String p : s.policies()) {
      ObjectNode n = imp.putObject(p);
      n.put("units", s.imputed().get(p));
      n.put("value", s.imputedValue().get(p));
    }
    ObjectNode pr = m.putObject("problems");
    s.problems().forEach(pr::put);
    m.put("user", cfg.user().name().toLowerCase(Locale.ROOT));
    m.put("engine", engine);
    m.put("seconds", Math.round(s.seconds() * 10) / 10.0);
    m.put("created_by", createdBy);
    return m;
  }

  private static final class Run {
    private final Options o;
    private final UnitsConfig cfg;
    private final Connection c;
    private final Map<String, Long> problems = new LinkedHashMap<>();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final List<String> attrNames;

    Run(Options o, Connection c) {
      this.o = o;
      this.cfg = o.config();
      this.c = c;
      this.attrNames = new ArrayList<>(cfg.attributes().keySet());
      for (String p : PROBLEMS) {
        problems.put(p, 0L);
      }
    }

    Summary run(long t0) throws SQLException, IOException {
      loadInteractions();
      loadPins();
      loadComponents();
      // a unit needs a component: interactions with no query, no response and no known pin are dropped
      long before = count("SELECT count(*) FROM i");
      execute("DELETE FROM i WHERE query IS NULL AND response IS NULL AND id NOT IN (SELECT DISTINCT interaction FROM c)");
      problems.put("empty_units", before - count("SELECT count(*) FROM i"));
      boolean weighted = cfg.tables().containsKey("impressions");
      if (weighted) {
        loadImpressions();
      }
      List<String> policies = cfg.tables().containsKey("risk_scores") ? loadScores() : List.of();
      Map<String, Long> imputed = new LinkedHashMap<>();
      Map<String, Double> imputedValue = new LinkedHashMap<>();
      unitScores(policies, imputed, imputedValue);
      problems.put("imputed_scores", imputed.values().stream().mapToLong(Long::longValue).sum());
      execute("""
          CREATE TEMP TABLE comps AS
          SELECT id AS unit, 0 AS ord, 0 AS position, 'query' AS cid, 'query' AS kind, query AS text, NULL AS image
            FROM i WHERE query IS NOT NULL
          UNION ALL
          SELECT id, 1, 0, 'response', 'response', response, NULL FROM i WHERE response IS NOT NULL
          UNION ALL
          SELECT c.interaction, 2, c.position,
                 CASE WHEN c.pin IN ('query', 'response') THEN 'pin:' || c.pin ELSE c.pin END,
                 'pin', p.text, p.image
            FROM c JOIN p ON p.id = c.pin""");

      Path manifest = manifestFor(o.out());
      if (o.strict() && problems.values().stream().anyMatch(v -> v > 0)) {
        return new Summary(0, 0, 0, policies, problems, imputed, imputedValue, rows, manifest, false, seconds(t0));
      }

      long[] counts = new long[2];
      double[] weight = new double[1];
      StringBuilder select = new StringBuilder("SELECT i.id, ");
      select.append(weighted ? "coalesce(w.weight, 0)" : "1.0").append(" AS weight");
      for (int k = 0; k < attrNames.size(); k++) {
        select.append(", i.a").append(k);
      }
      select.append(cfg.user() == UnitsConfig.UserMode.HASH ? ", i.user_hash" : ", NULL");
      for (int k = 0; k < policies.size(); k++) {
        select.append(", coalesce(us.s").append(k).append(", CAST(").append(imputedValue.get(policies.get(k)))
            .append(" AS DOUBLE))");
      }
      select.append(", comps.cid, comps.kind, comps.text, comps.image FROM comps JOIN i ON i.id = comps.unit");
      if (weighted) {
        select.append(" LEFT JOIN w ON w.entity = i.id");
      }
      if (!policies.isEmpty()) {
        select.append(" LEFT JOIN us ON us.unit = i.id");
      }
      select.append(" ORDER BY i.id, comps.ord, comps.position");

      try (AtomicOutput out = AtomicOutput.create(o.out());
          Statement st = c.createStatement()) {
        boolean gzip = o.out().getFileName().toString().endsWith(".gz");
        GZIPOutputStream gz = gzip ? new GZIPOutputStream(out.stream(), 1 << 16) : null;
        Writer w = gzip ? new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8), 1 << 16) : out.writer();
        JsonGenerator g = Json.mapper().getFactory().createGenerator(w);
        g.setRootValueSeparator(null);
        try (ResultSet rs = st.executeQuery(select.toString())) {
          int base = 3 + attrNames.size();
          String current = null;
          double unitWeight = 0;
          Map<String, String> attrs = null;
          Map<String, Double> scores = null;
          List<BuiltUnit.Component> comps = new ArrayList<>();
          while (rs.next()) {
            String id = rs.getString(1);
            if (!id.equals(current)) {
              if (current != null) {
                new BuiltUnit(current, unitWeight, attrs, scores, comps).writeTo(g, w);
                counts[0]++;
                weight[0] += unitWeight;
              }
              current = id;
              unitWeight = rs.getDouble(2);
              attrs = new LinkedHashMap<>();
              for (int k = 0; k < attrNames.size(); k++) {
                attrs.put(attrNames.get(k), rs.getString(3 + k));
              }
              String user = rs.getString(base);
              if (user != null) {
                attrs.put("user", user);
              }
              scores = new LinkedHashMap<>();
              for (int k = 0; k < policies.size(); k++) {
                scores.put(policies.get(k), rs.getDouble(base + 1 + k));
              }
              comps = new ArrayList<>();
            }
            int at = base + 1 + policies.size();
            comps.add(new BuiltUnit.Component(rs.getString(at), rs.getString(at + 1), rs.getString(at + 2),
                rs.getString(at + 3)));
            counts[1]++;
          }
          if (current != null) {
            new BuiltUnit(current, unitWeight, attrs, scores, comps).writeTo(g, w);
            counts[0]++;
            weight[0] += unitWeight;
          }
        }
        g.flush();
        w.flush();
        if (gz != null) {
          gz.finish();
        }
        if (TRACE) {
          System.err.printf(Locale.ROOT, "units: %.2f s (cpu %.1f s)  streamed and wrote the units%n", seconds(t0), cpu());
        }
        out.commit();
        if (TRACE) {
          System.err.printf(Locale.ROOT, "units: %.2f s  committed%n", seconds(t0));
        }
      }
      Summary s = new Summary(counts[0], counts[1], weight[0], policies, problems, imputed, imputedValue, rows,
          manifest, true, seconds(t0));
      AtomicOutput.write(manifest, Json.pretty(manifest(s)));
      return s;
    }

    private ObjectNode manifest(Summary s) {
      return UnitBuilder.manifest(cfg, s, "duckdb " + version(), o.createdBy());
    }

    private String version() {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version()")) {
        rs.next();
        return rs.getString(1);
      } catch (SQLException e) {
        return "?";
      }
    }

    // ---- tables ----------------------------------------------------------------------------

    private void loadInteractions() throws SQLException {
      UnitsConfig.Table t = cfg.tables().get("interactions");
      List<String> have = columnsOf(t);
      StringBuilder sql = new StringBuilder("CREATE TEMP TABLE src_i AS SELECT ");
      sql.append(text(t, "id", have)).append(" AS id");
      sql.append(", ").append(trimmed(t, "query", have)).append(" AS query");
      sql.append(", ").append(trimmed(t, "response", have)).append(" AS response");
      List<String> order = new ArrayList<>(List.of("query", "response"));
      int k = 0;
      for (Map.Entry<String, String> a : cfg.attributes().entrySet()) {
        if (!have.contains(a.getValue())) {
          throw cfg.problem("units.attributes." + a.getKey(), "no column \"" + a.getValue() + "\" in "
              + String.join(", ", t.paths()) + " (its columns: " + String.join(", ", have) + ")");
        }
        sql.append(", CAST(").append(Duck.ident(a.getValue())).append(" AS VARCHAR) AS a").append(k);
        order.add("a" + k);
        k++;
      }
      if (cfg.user() == UnitsConfig.UserMode.HASH) {
        String u = text(t, "user", have);
        sql.append(", CASE WHEN ").append(u).append(" IS NULL OR ").append(u).append(" = '' THEN NULL ELSE 'sha256:' || substr(sha256(")
            .append(Duck.literal(cfg.userSalt() + ":")).append(" || ").append(u).append("), 1, 16) END AS user_hash");
        order.add("user_hash");
      } else if (t.column("user").isPresent()) {
        text(t, "user", have); // checked, never read
      }
      sql.append(" FROM ").append(source(t));
      read(t, sql.toString(), "src_i");
      long missing = count("SELECT count(*) FROM src_i WHERE id IS NULL OR id = ''");
      problems.put("interactions_without_id", missing);
      long valid = rows.get("interactions") - missing;
      long distinct = count("SELECT count(DISTINCT id) FROM src_i WHERE id IS NOT NULL AND id <> ''");
      problems.put("duplicate_interactions", valid - distinct);
      String keep = valid == distinct ? "" : " QUALIFY row_number() OVER (PARTITION BY id ORDER BY "
          + order.stream().map(col -> col + " NULLS LAST").collect(Collectors.joining(", ")) + ") = 1";
      execute("CREATE TEMP TABLE i AS SELECT * FROM src_i WHERE id IS NOT NULL AND id <> ''" + keep);
      execute("DROP TABLE src_i");
    }

    private void loadPins() throws SQLException {
      UnitsConfig.Table t = cfg.tables().get("pins");
      List<String> have = columnsOf(t);
      String sql = "CREATE TEMP TABLE src_p AS SELECT " + text(t, "id", have) + " AS id, "
          + trimmed(t, "title", have) + " AS title, " + trimmed(t, "description", have) + " AS description, "
          + trimmed(t, "image", have) + " AS image FROM " + source(t);
      read(t, sql, "src_p");
      long missing = count("SELECT count(*) FROM src_p WHERE id IS NULL OR id = ''");
      problems.put("pins_without_id", missing);
      long valid = rows.get("pins") - missing;
      long distinct = count("SELECT count(DISTINCT id) FROM src_p WHERE id IS NOT NULL AND id <> ''");
      problems.put("duplicate_pins", valid - distinct);
      String keep = valid == distinct ? "" : " QUALIFY row_number() OVER (PARTITION BY id ORDER BY "
          + "title NULLS LAST, description NULLS LAST, image NULLS LAST) = 1";
      execute("CREATE TEMP TABLE p AS SELECT id, concat_ws(chr(10), title, description) AS text, image "
          + "FROM src_p WHERE id IS NOT NULL AND id <> ''" + keep);
      execute("DROP TABLE src_p");
      problems.put("pins_without_text", count("SELECT count(*) FROM p WHERE text = ''"));
    }

    private void loadComponents() throws SQLException {
      UnitsConfig.Table t = cfg.tables().get("components");
      List<String> have = columnsOf(t);
      String sql = "CREATE TEMP TABLE src_c AS SELECT " + text(t, "interaction", have) + " AS interaction, "
          + "TRY_CAST(trim(" + text(t, "position", have) + ") AS BIGINT) AS position, "
          + text(t, "pin", have) + " AS pin FROM " + source(t);
      read(t, sql, "src_c");
      String valid = "interaction IS NOT NULL AND interaction <> '' AND pin IS NOT NULL AND pin <> '' AND position IS NOT NULL";
      long good = count("SELECT count(*) FROM src_c WHERE " + valid);
      problems.put("invalid_components", rows.get("components") - good);
      execute("CREATE TEMP TABLE c1 AS SELECT src_c.* FROM src_c SEMI JOIN i ON i.id = src_c.interaction WHERE " + valid);
      execute("DROP TABLE src_c");
      long known = count("SELECT count(*) FROM c1");
      problems.put("components_of_unknown_interactions", good - known);
      long positions = count("SELECT count(*) FROM (SELECT DISTINCT interaction, position FROM c1)");
      problems.put("duplicate_component_positions", known - positions);
      if (known != positions) {
        replace("c1", "SELECT interaction, position, min(pin) AS pin FROM c1 GROUP BY interaction, position");
      }
      long pairs = count("SELECT count(*) FROM (SELECT DISTINCT interaction, pin FROM c1)");
      problems.put("repeated_pins_in_interaction", positions - pairs);
      if (positions != pairs) {
        replace("c1", "SELECT interaction, min(position) AS position, pin FROM c1 GROUP BY interaction, pin");
      }
      execute("CREATE TEMP TABLE c AS SELECT c1.* FROM c1 SEMI JOIN p ON p.id = c1.pin");
      execute("DROP TABLE c1");
      problems.put("unknown_pins", pairs - count("SELECT count(*) FROM c"));
    }

    private void loadImpressions() throws SQLException {
      UnitsConfig.Table t = cfg.tables().get("impressions");
      List<String> have = columnsOf(t);
      boolean byDay = t.column("day").isPresent();
      String sql = "CREATE TEMP TABLE src_w AS SELECT " + text(t, "entity", have) + " AS entity, "
          + "TRY_CAST(trim(" + text(t, "count", have) + ") AS DOUBLE) AS n"
          + (byDay ? ", " + text(t, "day", have) + " AS day" : "") + " FROM " + source(t);
      read(t, sql, "src_w");
      String valid = "entity IS NOT NULL AND entity <> '' AND n IS NOT NULL AND NOT isnan(n) AND NOT isinf(n) AND n >= 0";
      long good = count("SELECT count(*) FROM src_w WHERE " + valid);
      problems.put("invalid_impressions", rows.get("impressions") - good);
      if (byDay) {
        long keys = count("SELECT count(*) FROM (SELECT DISTINCT entity, day FROM src_w WHERE " + valid + ")");
        problems.put("duplicate_impressions", good - keys);
        execute("CREATE TEMP TABLE w AS SELECT entity, sum(n) AS weight FROM (SELECT entity, day, max(n) AS n "
            + "FROM src_w WHERE " + valid + " GROUP BY entity, day) GROUP BY entity");
      } else {
        execute("CREATE TEMP TABLE w AS SELECT entity, sum(n) AS weight FROM src_w WHERE " + valid + " GROUP BY entity");
      }
      execute("DROP TABLE src_w");
      problems.put("interactions_without_impressions",
          count("SELECT count(*) FROM i ANTI JOIN w ON w.entity = i.id"));
    }

    private List<String> loadScores() throws SQLException {
      UnitsConfig.Table t = cfg.tables().get("risk_scores");
      List<String> have = columnsOf(t);
      String sql = "CREATE TEMP TABLE src_s AS SELECT " + text(t, "entity", have) + " AS entity, "
          + text(t, "policy", have) + " AS policy, TRY_CAST(trim(" + text(t, "score", have) + ") AS DOUBLE) AS score"
          + " FROM " + source(t);
      read(t, sql, "src_s");
      String valid = "entity IS NOT NULL AND entity <> '' AND policy IS NOT NULL AND policy <> '' "
          + "AND score IS NOT NULL AND score >= 0 AND score <= 1";
      String selected = cfg.policies().isEmpty() ? "" : " AND policy IN ("
          + cfg.policies().stream().map(Duck::literal).collect(Collectors.joining(", ")) + ")";
      long considered = count("SELECT count(*) FROM src_s WHERE TRUE" + (selected.isEmpty() ? "" :
          " AND (policy IS NULL OR policy = '' " + selected.replaceFirst(" AND", " OR") + ")"));
      long good = count("SELECT count(*) FROM src_s WHERE " + valid + selected);
      problems.put("invalid_scores", considered - good);
      long keys = count("SELECT count(*) FROM (SELECT DISTINCT entity, policy FROM src_s WHERE " + valid + selected + ")");
      problems.put("duplicate_scores", good - keys);
      execute("CREATE TEMP TABLE s AS SELECT entity, policy, max(score) AS score FROM src_s WHERE " + valid + selected
          + " GROUP BY entity, policy");
      execute("DROP TABLE src_s");
      if (!cfg.policies().isEmpty()) {
        return cfg.policies();
      }
      List<String> found = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT DISTINCT policy FROM s ORDER BY policy")) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
      return found;
    }

    private void unitScores(List<String> policies, Map<String, Long> imputed, Map<String, Double> value)
        throws SQLException {
      if (policies.isEmpty()) {
        return;
      }
      StringBuilder sql = new StringBuilder("CREATE TEMP TABLE us AS SELECT e.unit");
      for (int k = 0; k < policies.size(); k++) {
        String agg = cfg.aggregate().sql() + "(s.score) FILTER (WHERE s.policy = " + Duck.literal(policies.get(k)) + ")";
        sql.append(", ").append(cfg.aggregate() == UnitsConfig.Aggregate.MEAN ? "round(" + agg + ", 6)" : agg)
            .append(" AS s").append(k);
      }
      sql.append(" FROM (SELECT id AS unit, id AS entity FROM i UNION ALL SELECT interaction, pin FROM c) e")
          .append(" JOIN s ON s.entity = e.entity GROUP BY e.unit");
      execute(sql.toString());
      for (int k = 0; k < policies.size(); k++) {
        String p = policies.get(k);
        imputed.put(p, count("SELECT count(*) FROM i LEFT JOIN us ON us.unit = i.id WHERE us.s" + k + " IS NULL"));
        double v = switch (cfg.missing().rule()) {
          case "zero" -> 0;
          case "value" -> cfg.missing().value();
          default -> {
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT round(avg(s" + k + "), 6) FROM us")) {
              rs.next();
              double m = rs.getDouble(1);
              yield rs.wasNull() ? 0 : m;
            }
          }
        };
        value.put(p, v);
      }
    }

    // ---- SQL helpers -----------------------------------------------------------------------

    private String source(UnitsConfig.Table t) {
      String files = t.files().stream().map(f -> Duck.literal(f.toString())).collect(Collectors.joining(", ", "[", "]"));
      return switch (t.format()) {
        case CSV -> "read_csv(" + files + ", header = true, all_varchar = true, delim = " + Duck.literal(t.delimiter())
            + ", quote = '\"', escape = '\"', union_by_name = true)";
        case JSONL -> "read_json(" + files + ", format = 'newline_delimited', union_by_name = true)";
        case PARQUET -> "read_parquet(" + files + ", union_by_name = true)";
      };
    }

    private final Map<String, List<String>> columnCache = new LinkedHashMap<>();

    private List<String> columnsOf(UnitsConfig.Table t) throws SQLException {
      List<String> cached = columnCache.get(t.name());
      if (cached != null) {
        return cached;
      }
      List<String> cols = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source(t))) {
        while (rs.next()) {
          cols.add(rs.getString(1));
        }
      } catch (SQLException e) {
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e.getMessage()));
      }
      columnCache.put(t.name(), cols);
      return cols;
    }

    /** The mapped column as VARCHAR, after checking it exists; NULL when the optional column is not mapped. */
    private String text(UnitsConfig.Table t, String logical, List<String> have) {
      String col = t.columns().get(logical);
      if (col == null) {
        return "CAST(NULL AS VARCHAR)";
      }
      if (!have.contains(col)) {
        throw cfg.problem("tables." + t.name() + ".columns." + logical, "no column \"" + col + "\" in "
            + String.join(", ", t.paths()) + " (its columns: " + String.join(", ", have) + ")");
      }
      return "CAST(" + Duck.ident(col) + " AS VARCHAR)";
    }

    /** Text with spaces trimmed; empty → NULL. */
    private String trimmed(UnitsConfig.Table t, String logical, List<String> have) {
      return "nullif(trim(" + text(t, logical, have) + "), '')";
    }

    private void read(UnitsConfig.Table t, String sql, String table) throws SQLException {
      try {
        execute(sql);
      } catch (SQLException e) {
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e.getMessage()));
      }
      rows.put(t.name(), count("SELECT count(*) FROM " + table));
    }

    private void replace(String table, String select) throws SQLException {
      execute("CREATE TEMP TABLE " + table + "_x AS " + select);
      execute("DROP TABLE " + table);
      execute("ALTER TABLE " + table + "_x RENAME TO " + table);
    }

    private void execute(String sql) throws SQLException {
      long t = System.nanoTime();
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
      if (TRACE) {
        System.err.printf(Locale.ROOT, "units: %.2f s (cpu %.1f s)  %s%n", (System.nanoTime() - t) / 1e9, cpu(),
            sql.replaceAll("\\s+", " "));
      }
    }



    private long count(String sql) throws SQLException {
      long t = System.nanoTime();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } finally {
        if (TRACE) {
          System.err.printf(Locale.ROOT, "units: %.2f s (cpu %.1f s)  %s%n", (System.nanoTime() - t) / 1e9, cpu(), sql);
        }
      }
    }
  }

  private static final boolean TRACE = Boolean.getBoolean("plumb.units.trace");

  /** Process CPU seconds (user + system) on Linux, for --trace only; NaN elsewhere. */
  private static double cpu() {
    try {
      String[] f = Files.readString(Path.of("/proc/self/stat")).replaceFirst("^.*\\) ", "").split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    String line = nl < 0 ? t : t.substring(0, nl).strip();
    // DuckDB repeats the file and line further down; keep the gist and where
    if (nl >= 0) {
      for (String l : t.split("\n")) {
        if (l.contains("Line:") || l.contains("line ")) {
          return line + " (" + l.strip() + ")";
        }
      }
    }
    return line;
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // best effort: a leftover spill directory is harmless and named .plumb-units-*.tmp
    }
  }
}
