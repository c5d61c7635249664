package dev.plumb.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import dev.plumb.units.BuiltUnit;
import dev.plumb.units.SqlDialect;
import dev.plumb.units.UnitBuilder;
import dev.plumb.units.UnitsConfig;
import dev.plumb.units.UnitsSql;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code plumb units build} on Spark: the same {@code units.yaml} (parsed by the units module's
 * {@link UnitsConfig}), the same assembly queries as the embedded DuckDB engine ({@link UnitBuilder})
 * — both run {@link UnitsSql}, here in its Spark SQL dialect —, the same problem counters, and every
 * unit written by the same {@link BuiltUnit#writeTo}: so the same logs give the same units.jsonl.
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

  /** The Spark engine of {@link UnitsSql}: relations are temporary views, cached when first computed. */
  private static final class Run implements UnitsSql.Engine {
    private final SparkSession spark;
    private final Request req;
    private final UnitsConfig cfg;
    private final Map<String, Dataset<Row>> raw = new LinkedHashMap<>();
    private final List<Dataset<Row>> cached = new ArrayList<>();
    private final java.util.Set<String> views = new java.util.LinkedHashSet<>();

    Run(SparkSession spark, Request req) {
      this.spark = spark;
      this.req = req;
      this.cfg = req.config();
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
        for (String v : views) {
          spark.catalog().dropTempView(v);
        }
      }
    }

    private UnitBuilder.Summary assemble(long t0) {
      UnitsSql steps = new UnitsSql(cfg, this, SqlDialect.SPARK);
      UnitsSql.Assembly a = steps.assemble();
      List<String> policies = a.policies();
      Path manifest = UnitBuilder.manifestFor(Path.of(req.out()));
      if (req.strict() && a.problems().values().stream().anyMatch(v -> v > 0)) {
        return new UnitBuilder.Summary(0, 0, 0, policies, a.problems(), a.imputed(), a.imputedValue(), a.rows(),
            manifest, false, seconds(t0));
      }
      steps.defineComponents();
      // one row per unit, its components gathered in order (Spark has no ordered stream to group)
      StringBuilder sql = new StringBuilder(steps.unitColumns(a.weighted()));
      for (int k = 0; k < policies.size(); k++) {
        sql.append(", us.s").append(k);
      }
      sql.append(", u.comps FROM (SELECT unit, sort_array(collect_list(struct(ord, position, cid, kind, text, image)))"
          + " AS comps FROM comps GROUP BY unit) u JOIN i ON i.id = u.unit").append(UnitsSql.unitJoins(a));
      Dataset<Row> assembled = spark.sql(sql.toString());
      Row totals = assembled.selectExpr("count(*)", "sum(size(comps))", "sum(weight)").first();
      long units = totals.getLong(0);
      long components = totals.isNullAt(1) ? 0 : totals.getLong(1);
      double weight = totals.isNullAt(2) ? 0 : totals.getDouble(2);

      double[] fill = new double[policies.size()];
      for (int k = 0; k < fill.length; k++) {
        fill[k] = a.imputedValue().get(policies.get(k));
      }
      List<String> names = List.copyOf(cfg.attributes().keySet());
      List<String> scored = List.copyOf(policies);
      Dataset<String> lines = assembled.orderBy("id").mapPartitions(
          (MapPartitionsFunction<Row, String>) it -> new Lines(it, names, scored, fill), Encoders.STRING());
      write(lines);
      UnitBuilder.Summary s = new UnitBuilder.Summary(units, components, weight, policies, a.problems(), a.imputed(),
          a.imputedValue(), a.rows(), manifest, true, seconds(t0));
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

    // ---- UnitsSql.Engine -----------------------------------------------------------------------

    @Override
    public List<String> columns(UnitsConfig.Table t) {
      return Arrays.asList(read(t).columns());
    }

    @Override
    public String source(UnitsConfig.Table t) {
      String name = "raw_" + t.name();
      read(t).createOrReplaceTempView(name);
      views.add(name);
      return name;
    }

    @Override
    public void load(UnitsConfig.Table t, String name, String select) {
      // lazy: a file that cannot be parsed fails in the first row() over it, which names the table
      spark.sql(select).createOrReplaceTempView(name);
      views.add(name);
    }

    /**
     * Defines a temporary view, cached when first computed (later steps count and join it several
     * times; without the cache every step would read the tables again).
     */
    @Override
    public void define(String name, String sql) {
      Dataset<Row> d = spark.sql(sql).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      cached.add(d);
      d.createOrReplaceTempView(name);
      views.add(name);
    }

    @Override
    public void alias(String name, String of) {
      spark.table(of).createOrReplaceTempView(name);
      views.add(name);
    }

    @Override
    public void drop(String name) {
      // views stay until the end: a later view is a plan over the earlier ones
    }

    @Override
    public List<Number> row(UnitsConfig.Table t, String sql) {
      Row r;
      try {
        r = spark.sql(sql).first();
      } catch (RuntimeException e) {
        if (t == null) {
          throw e;
        }
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e));
      }
      List<Number> out = new ArrayList<>(r.size());
      for (int k = 0; k < r.size(); k++) {
        out.add(r.isNullAt(k) ? null : (Number) r.get(k));
      }
      return out;
    }

    @Override
    public List<String> strings(String sql) {
      List<String> out = new ArrayList<>();
      for (Row r : spark.sql(sql).collectAsList()) {
        out.add(r.getString(0));
      }
      return out;
    }

    /** The table's files as Spark reads them (once): every CSV field as text, JSON and Parquet as typed. */
    private Dataset<Row> read(UnitsConfig.Table t) {
      Dataset<Row> known = raw.get(t.name());
      if (known != null) {
        return known;
      }
      String[] files = t.files().stream().map(f -> f.toAbsolutePath().toUri().toString()).toArray(String[]::new);
      try {
        Dataset<Row> d = switch (t.format()) {
          case CSV -> spark.read().option("header", "true").option("sep", t.delimiter())
              .option("quote", "\"").option("escape", "\"").option("multiLine", "true")
              .option("inferSchema", "false").csv(files);
          case JSONL -> spark.read().option("mode", "FAILFAST").json(files);
          case PARQUET -> spark.read().parquet(files);
        };
        raw.put(t.name(), d);
        return d;
      } catch (RuntimeException e) {
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e));
      }
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

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

}
