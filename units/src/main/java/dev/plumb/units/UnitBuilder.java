package dev.plumb.units;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
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
    return Jsonl.sibling(out, ".json");
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

  /** The DuckDB engine of {@link UnitsSql}: relations are temporary tables (views for aliases). */
  private static final class Run implements UnitsSql.Engine {
    private final Options o;
    private final UnitsConfig cfg;
    private final Connection c;
    /** Relations made by {@link #alias}: views, dropped as such. */
    private final java.util.Set<String> views = new java.util.HashSet<>();

    Run(Options o, Connection c) {
      this.o = o;
      this.cfg = o.config();
      this.c = c;
    }

    Summary run(long t0) throws SQLException, IOException {
      try {
        return assemble(t0);
      } catch (Failure f) {
        throw f.getCause();
      }
    }

    private Summary assemble(long t0) throws SQLException, IOException {
      UnitsSql steps = new UnitsSql(cfg, this, SqlDialect.DUCKDB);
      UnitsSql.Assembly a = steps.assemble();
      List<String> policies = a.policies();
      Path manifest = manifestFor(o.out());
      if (o.strict() && a.problems().values().stream().anyMatch(v -> v > 0)) {
        return new Summary(0, 0, 0, policies, a.problems(), a.imputed(), a.imputedValue(), a.rows(), manifest, false,
            seconds(t0));
      }
      steps.defineComponents();

      // one row per component, in unit and component order: streamed, never held whole
      StringBuilder select = new StringBuilder(steps.unitColumns(a.weighted()));
      for (int k = 0; k < policies.size(); k++) {
        select.append(", coalesce(us.s").append(k).append(", CAST(").append(a.imputedValue().get(policies.get(k)))
            .append(" AS DOUBLE))");
      }
      select.append(", comps.cid, comps.kind, comps.text, comps.image FROM comps JOIN i ON i.id = comps.unit")
          .append(UnitsSql.unitJoins(a)).append(" ORDER BY i.id, comps.ord, comps.position");
      Written n = write(select.toString(), policies, t0);
      Summary s = new Summary(n.units(), n.components(), n.weight(), policies, a.problems(),
          a.imputed(), a.imputedValue(), a.rows(), manifest, true, seconds(t0));
      AtomicOutput.write(manifest, Json.pretty(UnitBuilder.manifest(cfg, s, "duckdb " + version(), o.createdBy())));
      return s;
    }

    private record Written(long units, long components, double weight) {}

    /** Streams the units query, one row per component in unit order, into the output file. */
    private Written write(String select, List<String> policies, long t0) throws SQLException, IOException {
      List<String> attrNames = List.copyOf(cfg.attributes().keySet());
      long units = 0;
      long components = 0;
      double weight = 0;
      try (AtomicOutput out = AtomicOutput.create(o.out());
          Statement st = c.createStatement()) {
        boolean gzip = o.out().getFileName().toString().endsWith(".gz");
        GZIPOutputStream gz = gzip ? new GZIPOutputStream(out.stream(), 1 << 16) : null;
        Writer w = gzip ? new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8), 1 << 16) : out.writer();
        JsonGenerator g = Json.mapper().getFactory().createGenerator(w);
        g.setRootValueSeparator(null);
        try (ResultSet rs = st.executeQuery(select)) {
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
                units++;
                weight += unitWeight;
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
            components++;
          }
          if (current != null) {
            new BuiltUnit(current, unitWeight, attrs, scores, comps).writeTo(g, w);
            units++;
            weight += unitWeight;
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
      return new Written(units, components, weight);
    }

    private String version() {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version()")) {
        rs.next();
        return rs.getString(1);
      } catch (SQLException e) {
        return "?";
      }
    }

    // ---- UnitsSql.Engine -----------------------------------------------------------------------

    private final Map<String, List<String>> columnCache = new LinkedHashMap<>();

    @Override
    public List<String> columns(UnitsConfig.Table t) {
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

    @Override
    public String source(UnitsConfig.Table t) {
      String files = t.files().stream().map(f -> Duck.literal(f.toString())).collect(Collectors.joining(", ", "[", "]"));
      return switch (t.format()) {
        case CSV -> "read_csv(" + files + ", header = true, all_varchar = true, delim = " + Duck.literal(t.delimiter())
            + ", quote = '\"', escape = '\"', union_by_name = true)";
        case JSONL -> "read_json(" + files + ", format = 'newline_delimited', union_by_name = true)";
        case PARQUET -> "read_parquet(" + files + ", union_by_name = true)";
      };
    }

    @Override
    public void load(UnitsConfig.Table t, String name, String select) {
      try {
        execute("CREATE TEMP TABLE " + name + " AS " + select);
      } catch (SQLException e) {
        throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e.getMessage()));
      }
    }

    @Override
    public void define(String name, String select) {
      run(() -> execute("CREATE TEMP TABLE " + name + " AS " + select));
    }

    @Override
    public void alias(String name, String of) {
      views.add(name);
      run(() -> execute("CREATE TEMP VIEW " + name + " AS SELECT * FROM " + of));
    }

    @Override
    public void drop(String name) {
      run(() -> execute((views.remove(name) ? "DROP VIEW " : "DROP TABLE ") + name));
    }

    @Override
    public List<Number> row(UnitsConfig.Table t, String sql) {
      long t0 = System.nanoTime();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        List<Number> out = new ArrayList<>();
        for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
          out.add(number(rs.getObject(k)));
        }
        return out;
      } catch (SQLException e) {
        if (t != null) {
          throw cfg.problem("tables." + t.name() + ".path", "cannot read: " + firstLine(e.getMessage()));
        }
        throw new Failure(e);
      } finally {
        if (TRACE) {
          System.err.printf(Locale.ROOT, "units: %.2f s (cpu %.1f s)  %s%n", (System.nanoTime() - t0) / 1e9, cpu(), sql);
        }
      }
    }

    /** DuckDB's counts (BIGINT, HUGEINT) as Long, its doubles as Double. */
    private static Number number(Object v) {
      if (v == null) {
        return null;
      }
      if (v instanceof Double || v instanceof Float) {
        return ((Number) v).doubleValue();
      }
      return ((Number) v).longValue();
    }

    @Override
    public List<String> strings(String sql) {
      List<String> out = new ArrayList<>();
      run(() -> {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      });
      return out;
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

    private interface Sql {
      void run() throws SQLException;
    }

    /** Runs a statement of the steps; a DuckDB failure goes back to {@link #run(long)} as itself. */
    private static void run(Sql s) {
      try {
        s.run();
      } catch (SQLException e) {
        throw new Failure(e);
      }
    }
  }

  /** A DuckDB failure on its way out of {@link UnitsSql}, whose engine calls throw no checked exception. */
  private static final class Failure extends RuntimeException {
    Failure(SQLException e) {
      super(e);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
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
