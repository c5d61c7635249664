package dev.plumb.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import dev.plumb.units.BuiltUnit;
import dev.plumb.units.UnitBuilder;
import dev.plumb.units.UnitsConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code plumb units build} on Spark: the same {@code units.yaml} (parsed by the units module's
 * {@link UnitsConfig}), the assembly rules of docs/units.md in Spark SQL step by step as the
 * embedded DuckDB engine ({@link UnitBuilder}) runs them, the same problem counters, and every unit
 * written by the same {@link BuiltUnit#writeTo} — so the same logs give the same units.jsonl.
 *
 * <p>Output: a file name ending in {@code .jsonl} (or {@code .jsonl.gz}) is one file on the driver,
 * written from the globally sorted units partition by partition (the driver holds one partition);
 * any other {@code --out} is a directory of part files written by the executors on any Hadoop file
 * system (sorted by id across the parts, in part order), which {@code plumb-spark sample} reads as a
 * frame. The manifest ({@code units.json}, docs/units.md) goes beside either.
 *
 * <p>Table files are found by {@link UnitsConfig} (globs relative to units.yaml, on the driver's file
 * system): on a cluster they must be where every executor can read them at the same path (a shared
 * mount).
 */
public final class SparkUnits {

  private SparkUnits() {}

  /** What to build. {@code out}: a .jsonl file on the driver or a directory (any Hadoop path). */
  public record Request(UnitsConfig config, String out, boolean strict, String createdBy) {}

  public static UnitBuilder.Summary build(SparkSession spark, Request request) {
    return SparkErrors.unwrap(() -> new Run(spark, request).run());
  }

  /** Whether {@code out} names one file (else a directory of part files). */
  static boolean singleFile(String out) {
    return out.endsWith(".jsonl") || out.endsWith(".jsonl.gz");
  }

  private static final class Run {
    private final SparkSession spark;
    private final Request req;
    private final UnitsConfig cfg;
    private final Map<String, Long> problems = new LinkedHashMap<>();
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final List<String> attrNames;
    private final List<Dataset<Row>> cached = new ArrayList<>();

    Run(SparkSession spark, Request req) {
      this.spark = spark;
      this.req = req;
      this.cfg = req.config();
      this.attrNames = new ArrayList<>(cfg.attributes().keySet());
      for (String p : UnitBuilder.PROBLEMS) {
        problems.put(p, 0L);
      }
    }

    UnitBuilder.Summary run() {
      long t0 = System.nanoTime();
      if (!singleFile(req.out())) {
        try {
          org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(req.out());
          if (dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(dir)) {
            throw new dev.plumb.core.InputException(dev.plumb.core.Problem.of(req.out()
                + ": already exists; remove it or choose another --out (a directory of part files)"));
          }
        } catch (IOException e) {
          throw new PlumbException("cannot check " + req.out() + ": " + e.getMessage(), e);
        }
      }
      try {
        return assemble(t0);
      } finally {
        for (Dataset<Row> d : cached) {
          d.unpersist(false);
        }
        for (String v : List.of("raw_i", "raw_p", "raw_c", "raw_w", "raw_s", "src_i", "src_p", "src_c", "src_w",
            "src_s", "i0", "i", "p", "c1", "c2", "c3", "c", "w", "s", "us", "comps")) {
          spark.catalog().dropTempView(v);
        }
      }
    }

    private UnitBuilder.Summary assemble(long t0) {
      interactions();
      pins();
      components();
      long before = count("SELECT count(*) FROM i0");
      view("i", """
          SELECT i0.* FROM i0 LEFT JOIN (SELECT DISTINCT interaction FROM c) ci ON ci.interaction = i0.id
          WHERE i0.query IS NOT NULL OR i0.response IS NOT NULL OR ci.interaction IS NOT NULL""");
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

      Path manifest = UnitBuilder.manifestFor(Path.of(req.out()));
      if (req.strict() && problems.values().stream().anyMatch(v -> v > 0)) {
        return new UnitBuilder.Summary(0, 0, 0, policies, problems, imputed, imputedValue, rows, manifest,
            false, seconds(t0));
      }
      view("comps", """
          SELECT id AS unit, 0 AS ord, CAST(0 AS BIGINT) AS position, 'query' AS cid, 'query' AS kind,
                 query AS text, CAST(NULL AS STRING) AS image
            FROM i WHERE query IS NOT NULL
          UNION ALL
          SELECT id, 1, CAST(0 AS BIGINT), 'response', 'response', response, CAST(NULL AS STRING)
            FROM i WHERE response IS NOT NULL
          UNION ALL
          SELECT c.interaction, 2, c.position,
                 CASE WHEN c.pin IN ('query', 'response') THEN concat('pin:', c.pin) ELSE c.pin END,
                 'pin', p.text, p.image
            FROM c JOIN p ON p.id = c.pin""");
      StringBuilder sql = new StringBuilder("SELECT i.id, ");
      sql.append(weighted ? "coalesce(w.weight, CAST(0 AS DOUBLE))" : "CAST(1 AS DOUBLE)").append(" AS weight");
      for (int k = 0; k < attrNames.size(); k++) {
        sql.append(", i.a").append(k);
      }
      sql.append(cfg.user() == UnitsConfig.UserMode.HASH ? ", i.user_hash" : ", CAST(NULL AS STRING)");
      for (int k = 0; k < policies.size(); k++) {
        sql.append(", us.s").append(k);
      }
      sql.append(", u.comps FROM (SELECT unit, sort_array(collect_list(struct(ord, position, cid, kind, text, image)))"
          + " AS comps FROM comps GROUP BY unit) u JOIN i ON i.id = u.unit");
      if (weighted) {
        sql.append(" LEFT JOIN w ON w.entity = i.id");
      }
      if (!policies.isEmpty()) {
        sql.append(" LEFT JOIN us ON us.unit = i.id");
      }
      Dataset<Row> assembled = spark.sql(sql.toString());
      Row totals = assembled.selectExpr("count(*)", "sum(size(comps))", "sum(weight)").first();
      long units = totals.getLong(0);
      long components = totals.isNullAt(1) ? 0 : totals.getLong(1);
      double weight = totals.isNullAt(2) ? 0 : totals.getDouble(2);

      double[] fill = new double[policies.size()];
      for (int k = 0; k < fill.length; k++) {
        fill[k] = imputedValue.get(policies.get(k));
      }
      List<String> names = List.copyOf(attrNames);
      List<String> scored = List.copyOf(policies);
      Dataset<String> lines = assembled.orderBy("id").mapPartitions(
          (MapPartitionsFunction<Row, String>) it -> new Lines(it, names, scored, fill), Encoders.STRING());
      write(lines);
      UnitBuilder.Summary s = new UnitBuilder.Summary(units, components, weight, policies, problems, imputed,
          imputedValue, rows, manifest, true, seconds(t0));
      writeManifest(s);
      return s;
    }

    private void write(Dataset<String> lines) {
      if (singleFile(req.out())) {
        Path out = Path.of(req.out());
        boolean gzip = req.out().endsWith(".gz");
        try (AtomicOutput o = AtomicOutput.create(out)) {
          java.io.OutputStream raw = o.stream();
          java.util.zip.GZIPOutputStream gz = gzip ? new java.util.zip.GZIPOutputStream(raw, 1 << 16) : null;
          Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(gz != null ? gz : raw,
              java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
          for (Iterator<String> it = lines.toLocalIterator(); it.hasNext(); ) {
            w.write(it.next());
            w.write('\n');
          }
          w.flush();
          if (gz != null) {
            gz.finish();
          }
          o.commit();
        } catch (IOException e) {
          throw new PlumbException("cannot write " + out + ": " + e.getMessage(), e);
        }
      } else {
        lines.write().mode("errorifexists").text(req.out());
      }
    }

    private void writeManifest(UnitBuilder.Summary s) {
      ObjectNode m = UnitBuilder.manifest(cfg, s, "spark " + spark.version(), req.createdBy());
      AtomicOutput.write(s.manifest(), Json.pretty(m));
    }

    // ---- tables, rule by rule as UnitBuilder runs them (docs/units.md) -------------------------

    private void interactions() {
      UnitsConfig.Table t = cfg.tables().get("interactions");
      Dataset<Row> src = read(t);
      List<String> have = Arrays.asList(src.columns());
      StringBuilder sql = new StringBuilder("SELECT ");
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
        sql.append(", CAST(").append(ident(a.getValue())).append(" AS STRING) AS a").append(k);
        order.add("a" + k);
        k++;
      }
      if (cfg.user() == UnitsConfig.UserMode.HASH) {
        String u = text(t, "user", have);
        sql.append(", CASE WHEN ").append(u).append(" IS NULL OR ").append(u)
            .append(" = '' THEN NULL ELSE concat('sha256:', substr(sha2(concat(")
            .append(literal(cfg.userSalt() + ":")).append(", ").append(u).append("), 256), 1, 16)) END AS user_hash");
        order.add("user_hash");
      } else if (t.column("user").isPresent()) {
        text(t, "user", have); // checked, never read
      }
      sql.append(" FROM raw_i");
      src.createOrReplaceTempView("raw_i");
      Dataset<Row> mapped = spark.sql(sql.toString());
      mapped.createOrReplaceTempView("src_i");
      Row r = first(t, "SELECT count(*), count_if(id IS NULL OR id = ''), "
          + "count(DISTINCT CASE WHEN id <> '' THEN id END) FROM src_i");
      rows.put("interactions", r.getLong(0));
      long missing = r.getLong(1);
      long valid = r.getLong(0) - missing;
      long distinct = r.getLong(2);
      problems.put("interactions_without_id", missing);
      problems.put("duplicate_interactions", valid - distinct);
      String where = " FROM src_i WHERE id IS NOT NULL AND id <> ''";
      view("i0", valid == distinct ? "SELECT *" + where
          : "SELECT id, " + String.join(", ", order) + " FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY "
              + order.stream().map(col -> col + " ASC NULLS LAST").collect(Collectors.joining(", "))
              + ") AS rn_" + where + ") WHERE rn_ = 1");
    }

    private void pins() {
      UnitsConfig.Table t = cfg.tables().get("pins");
      Dataset<Row> src = read(t);
      List<String> have = Arrays.asList(src.columns());
      src.createOrReplaceTempView("raw_p");
      spark.sql("SELECT " + text(t, "id", have) + " AS id, " + trimmed(t, "title", have) + " AS title, "
          + trimmed(t, "description", have) + " AS description, " + trimmed(t, "image", have) + " AS image FROM raw_p")
          .createOrReplaceTempView("src_p");
      Row r = first(t, "SELECT count(*), count_if(id IS NULL OR id = ''), "
          + "count(DISTINCT CASE WHEN id <> '' THEN id END) FROM src_p");
      rows.put("pins", r.getLong(0));
      long missing = r.getLong(1);
      long valid = r.getLong(0) - missing;
      long distinct = r.getLong(2);
      problems.put("pins_without_id", missing);
      problems.put("duplicate_pins", valid - distinct);
      String where = " FROM src_p WHERE id IS NOT NULL AND id <> ''";
      String kept = valid == distinct ? "SELECT *" + where
          : "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY title ASC NULLS LAST, "
              + "description ASC NULLS LAST, image ASC NULLS LAST) AS rn_" + where + ") WHERE rn_ = 1";
      view("p", "SELECT id, concat_ws(char(10), title, description) AS text, image FROM (" + kept + ")");
      problems.put("pins_without_text", count("SELECT count(*) FROM p WHERE text = ''"));
    }

    private void components() {
      UnitsConfig.Table t = cfg.tables().get("components");
      Dataset<Row> src = read(t);
      List<String> have = Arrays.asList(src.columns());
      src.createOrReplaceTempView("raw_c");
      spark.sql("SELECT " + text(t, "interaction", have) + " AS interaction, try_cast(trim("
          + text(t, "position", have) + ") AS BIGINT) AS position, " + text(t, "pin", have) + " AS pin FROM raw_c")
          .createOrReplaceTempView("src_c");
      String valid = "interaction IS NOT NULL AND interaction <> '' AND pin IS NOT NULL AND pin <> '' "
          + "AND position IS NOT NULL";
      Row r = first(t, "SELECT count(*), count_if(" + valid + ") FROM src_c");
      rows.put("components", r.getLong(0));
      long good = r.getLong(1);
      problems.put("invalid_components", r.getLong(0) - good);
      view("c1", "SELECT src_c.* FROM src_c LEFT SEMI JOIN i0 ON i0.id = src_c.interaction WHERE " + valid);
      long known = count("SELECT count(*) FROM c1");
      problems.put("components_of_unknown_interactions", good - known);
      long positions = count("SELECT count(*) FROM (SELECT DISTINCT interaction, position FROM c1)");
      problems.put("duplicate_component_positions", known - positions);
      if (known != positions) {
        view("c2", "SELECT interaction, position, min(pin) AS pin FROM c1 GROUP BY interaction, position");
      } else {
        view("c2", "SELECT * FROM c1");
      }
      long pairs = count("SELECT count(*) FROM (SELECT DISTINCT interaction, pin FROM c2)");
      problems.put("repeated_pins_in_interaction", positions - pairs);
      if (positions != pairs) {
        view("c3", "SELECT interaction, min(position) AS position, pin FROM c2 GROUP BY interaction, pin");
      } else {
        view("c3", "SELECT * FROM c2");
      }
      view("c", "SELECT c3.* FROM c3 LEFT SEMI JOIN p ON p.id = c3.pin");
      problems.put("unknown_pins", pairs - count("SELECT count(*) FROM c"));
    }

    private void impressions() {
      UnitsConfig.Table t = cfg.tables().get("impressions");
      Dataset<Row> src = read(t);
      List<String> have = Arrays.asList(src.columns());
      boolean byDay = t.column("day").isPresent();
      src.createOrReplaceTempView("raw_w");
      spark.sql("SELECT " + text(t, "entity", have) + " AS entity, try_cast(trim(" + text(t, "count", have)
          + ") AS DOUBLE) AS n" + (byDay ? ", " + text(t, "day", have) + " AS day" : "") + " FROM raw_w")
          .createOrReplaceTempView("src_w");
      String valid = "entity IS NOT NULL AND entity <> '' AND n IS NOT NULL AND NOT isnan(n) "
          + "AND n < double('Infinity') AND n >= 0";
      Row r = first(t, "SELECT count(*), count_if(" + valid + ") FROM src_w");
      rows.put("impressions", r.getLong(0));
      long good = r.getLong(1);
      problems.put("invalid_impressions", r.getLong(0) - good);
      if (byDay) {
        long keys = count("SELECT count(*) FROM (SELECT DISTINCT entity, day FROM src_w WHERE " + valid + ")");
        problems.put("duplicate_impressions", good - keys);
        view("w", "SELECT entity, sum(n) AS weight FROM (SELECT entity, day, max(n) AS n FROM src_w WHERE "
            + valid + " GROUP BY entity, day) GROUP BY entity");
      } else {
        view("w", "SELECT entity, sum(n) AS weight FROM src_w WHERE " + valid + " GROUP BY entity");
      }
      problems.put("interactions_without_impressions",
          count("SELECT count(*) FROM i LEFT ANTI JOIN w ON w.entity = i.id"));
    }

    private List<String> scores() {
      UnitsConfig.Table t = cfg.tables().get("risk_scores");
      Dataset<Row> src = read(t);
      List<String> have = Arrays.asList(src.columns());
      src.createOrReplaceTempView("raw_s");
      spark.sql("SELECT " + text(t, "entity", have) + " AS entity, " + text(t, "policy", have)
          + " AS policy, try_cast(trim(" + text(t, "score", have) + ") AS DOUBLE) AS score FROM raw_s")
          .createOrReplaceTempView("src_s");
      String valid = "entity IS NOT NULL AND entity <> '' AND policy IS NOT NULL AND policy <> '' "
          + "AND score IS NOT NULL AND score >= 0 AND score <= 1";
      String list = cfg.policies().stream().map(SparkUnits::literal).collect(Collectors.joining(", "));
      String selected = cfg.policies().isEmpty() ? "" : " AND policy IN (" + list + ")";
      String considered = cfg.policies().isEmpty() ? "TRUE"
          : "policy IS NULL OR policy = '' OR policy IN (" + list + ")";
      Row r = first(t, "SELECT count(*), count_if(" + considered + "), count_if(" + valid + selected + ") FROM src_s");
      rows.put("risk_scores", r.getLong(0));
      long good = r.getLong(2);
      problems.put("invalid_scores", r.getLong(1) - good);
      long keys = count("SELECT count(*) FROM (SELECT DISTINCT entity, policy FROM src_s WHERE " + valid + selected + ")");
      problems.put("duplicate_scores", good - keys);
      view("s", "SELECT entity, policy, max(score) AS score FROM src_s WHERE " + valid + selected
          + " GROUP BY entity, policy");
      if (!cfg.policies().isEmpty()) {
        return cfg.policies();
      }
      List<String> found = new ArrayList<>();
      for (Row p : spark.sql("SELECT DISTINCT policy FROM s ORDER BY policy").collectAsList()) {
        found.add(p.getString(0));
      }
      return found;
    }

    private void unitScores(List<String> policies, Map<String, Long> imputed, Map<String, Double> value) {
      if (policies.isEmpty()) {
        return;
      }
      String fn = switch (cfg.aggregate()) {
        case MAX -> "max";
        case MEAN -> "avg";
        case MIN -> "min";
      };
      StringBuilder sql = new StringBuilder("SELECT e.unit");
      for (int k = 0; k < policies.size(); k++) {
        String agg = fn + "(s.score) FILTER (WHERE s.policy = " + literal(policies.get(k)) + ")";
        sql.append(", ").append(cfg.aggregate() == UnitsConfig.Aggregate.MEAN ? "round(" + agg + ", 6)" : agg)
            .append(" AS s").append(k);
      }
      sql.append(" FROM (SELECT id AS unit, id AS entity FROM i UNION ALL SELECT interaction, pin FROM c) e")
          .append(" JOIN s ON s.entity = e.entity GROUP BY e.unit");
      view("us", sql.toString());
      StringBuilder counts = new StringBuilder("SELECT count(*)");
      StringBuilder means = new StringBuilder("SELECT count(*)");
      for (int k = 0; k < policies.size(); k++) {
        counts.append(", count_if(us.s").append(k).append(" IS NULL)");
        means.append(", round(avg(s").append(k).append("), 6)");
      }
      Row missing = spark.sql(counts + " FROM i LEFT JOIN us ON us.unit = i.id").first();
      Row mean = spark.sql(means + " FROM us").first();
      for (int k = 0; k < policies.size(); k++) {
        String p = policies.get(k);
        imputed.put(p, missing.getLong(k + 1));
        double v = switch (cfg.missing().rule()) {
          case "zero" -> 0;
          case "value" -> cfg.missing().value();
          default -> mean.isNullAt(k + 1) ? 0 : mean.getDouble(k + 1);
        };
        value.put(p, v);
      }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** The table's files as Spark reads them: every CSV field as text, JSON and Parquet as typed. */
    private Dataset<Row> read(UnitsConfig.Table t) {
      String[] files = t.files().stream().map(f -> f.toAbsolutePath().toUri().toString()).toArray(String[]::new);
      try {
        return switch (t.format()) {
          case CSV -> spark.read().option("header", "true").option("sep", t.delimiter())
              .option("quote", "\"").option("escape", "\"").option("multiLine", "true")
              .option("inferSchema", "false").csv(files);
          case JSONL -> spark.read().option("mode", "FAILFAST").json(files);
          case PARQUET -> spark.read().parquet(files);
        };
      } catch (RuntimeException e) {
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e));
      }
    }

    /** The first row of a query over a freshly read table; a parse failure is the table's problem. */
    private Row first(UnitsConfig.Table t, String sql) {
      try {
        return spark.sql(sql).first();
      } catch (RuntimeException e) {
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e));
      }
    }

    private String text(UnitsConfig.Table t, String logical, List<String> have) {
      String col = t.columns().get(logical);
      if (col == null) {
        return "CAST(NULL AS STRING)";
      }
      if (!have.contains(col)) {
        throw cfg.problem("tables." + t.name() + ".columns." + logical, "no column \"" + col + "\" in "
            + String.join(", ", t.paths()) + " (its columns: " + String.join(", ", have) + ")");
      }
      return "CAST(" + ident(col) + " AS STRING)";
    }

    /** Text trimmed of spaces (U+0020); empty becomes null. */
    private String trimmed(UnitsConfig.Table t, String logical, List<String> have) {
      return "nullif(trim(" + text(t, logical, have) + "), '')";
    }

    /**
     * Defines a temporary view, cached when first computed (later steps count and join it several
     * times; without the cache every step would read the tables again).
     */
    private void view(String name, String sql) {
      Dataset<Row> d = spark.sql(sql).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      cached.add(d);
      d.createOrReplaceTempView(name);
    }

    private long count(String sql) {
      return spark.sql(sql).first().getLong(0);
    }
  }

  /** Turns assembled rows into JSON lines with the reference writer, one partition at a time. */
  private static final class Lines implements Iterator<String> {
    private final Iterator<Row> rows;
    private final List<String> attrNames;
    private final List<String> policies;
    private final double[] fill;

    Lines(Iterator<Row> rows, List<String> attrNames, List<String> policies, double[] fill) {
      this.rows = rows;
      this.attrNames = attrNames;
      this.policies = policies;
      this.fill = fill;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public String next() {
      Row r = rows.next();
      Map<String, String> attrs = new LinkedHashMap<>();
      int at = 2;
      for (String a : attrNames) {
        attrs.put(a, r.getString(at++));
      }
      String user = r.getString(at++);
      if (user != null) {
        attrs.put("user", user);
      }
      Map<String, Double> scores = new LinkedHashMap<>();
      for (int k = 0; k < policies.size(); k++) {
        scores.put(policies.get(k), r.isNullAt(at) ? fill[k] : r.getDouble(at));
        at++;
      }
      List<Row> comps = r.getList(at);
      List<BuiltUnit.Component> out = new ArrayList<>(comps.size());
      for (Row c : comps) {
        out.add(new BuiltUnit.Component(c.getString(2), c.getString(3), c.getString(4), c.getString(5)));
      }
      return new BuiltUnit(r.getString(0), r.getDouble(1), attrs, scores, out).toJson();
    }
  }

  static String ident(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

}
