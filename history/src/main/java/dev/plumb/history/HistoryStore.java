package dev.plumb.history;

import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import dev.plumb.history.RunRecord.DecisionQuality;
import dev.plumb.history.RunRecord.EstimateRow;
import dev.plumb.history.RunRecord.PolicyResult;
import dev.plumb.history.RunRecord.Provenance;
import dev.plumb.history.RunRecord.Signoff;
import dev.plumb.history.RunRecord.Sizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The history of calibrated runs in one embedded DuckDB database file (docs/history.md gives the
 * tables). One run per (series, period): recording a period again replaces it in one transaction,
 * so a rerun of a day never double-counts it.
 *
 * <p>DuckDB lets one process write a database file at a time; a store opened for reading can share
 * the file with other readers. Not thread-safe.
 */
public final class HistoryStore implements AutoCloseable {
  /** The schema version written into the database's {@code meta} table. */
  public static final String FORMAT = "plumb.history/1";

  private static final String[] SCHEMA = {
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """
    CREATE TABLE IF NOT EXISTS runs (
      series VARCHAR NOT NULL, period VARCHAR NOT NULL, granularity VARCHAR NOT NULL,
      period_start DATE NOT NULL, recorded_at TIMESTAMP NOT NULL,
      prompt VARCHAR NOT NULL, model VARCHAR NOT NULL, sample_manifest VARCHAR NOT NULL,
      tool VARCHAR NOT NULL, source VARCHAR NOT NULL,
      PRIMARY KEY (series, period))""",
    """
    CREATE TABLE IF NOT EXISTS policy_results (
      series VARCHAR NOT NULL, period VARCHAR NOT NULL, policy VARCHAR NOT NULL, ord INTEGER NOT NULL,
      version VARCHAR NOT NULL, recommended VARCHAR NOT NULL, verdict VARCHAR NOT NULL, reasons VARCHAR[] NOT NULL,
      sensitivity DOUBLE, sensitivity_lower DOUBLE, sensitivity_upper DOUBLE,
      specificity DOUBLE, specificity_lower DOUBLE, specificity_upper DOUBLE, kappa DOUBLE,
      sample_n INTEGER NOT NULL, sample_plan INTEGER NOT NULL, gold_n INTEGER NOT NULL, gold_plan INTEGER NOT NULL,
      gold_reused INTEGER NOT NULL DEFAULT 0, gold_reviewed_under VARCHAR NOT NULL DEFAULT '',
      PRIMARY KEY (series, period, policy))""",
    // histories written before gold reuse was recorded get the columns (every old run reused none)
    "ALTER TABLE policy_results ADD COLUMN IF NOT EXISTS gold_reused INTEGER DEFAULT 0",
    "ALTER TABLE policy_results ADD COLUMN IF NOT EXISTS gold_reviewed_under VARCHAR DEFAULT ''",
    """
    CREATE TABLE IF NOT EXISTS estimates (
      series VARCHAR NOT NULL, period VARCHAR NOT NULL, policy VARCHAR NOT NULL, ord INTEGER NOT NULL,
      estimator VARCHAR NOT NULL, domain VARCHAR NOT NULL, kind VARCHAR NOT NULL,
      estimate DOUBLE, se DOUBLE, lower DOUBLE, upper DOUBLE, confidence DOUBLE,
      method VARCHAR NOT NULL, recommended BOOLEAN NOT NULL, note VARCHAR NOT NULL,
      PRIMARY KEY (series, period, policy, estimator, domain))"""
  };

  private final Path path;
  private final Connection db;
  private final boolean readOnly;

  private HistoryStore(Path path, Connection db, boolean readOnly) {
    this.path = path;
    this.db = db;
    this.readOnly = readOnly;
  }

  /** Opens the history at {@code path} for writing, creating the file and its tables when missing. */
  public static HistoryStore open(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new PlumbException("cannot create the folder of " + path + ": " + e.getMessage(), e);
    }
    HistoryStore store = connect(path, false);
    store.createSchema();
    return store;
  }

  /** Opens an existing history for reading. */
  public static HistoryStore read(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new InputException(Problem.of(path + ": history not found (record a run with plumb history record)"));
    }
    HistoryStore store = connect(path, true);
    store.checkFormat();
    return store;
  }

  private static HistoryStore connect(Path path, boolean readOnly) {
    Properties props = new Properties();
    if (readOnly) {
      props.setProperty("duckdb.read_only", "true");
    }
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      return new HistoryStore(path, DriverManager.getConnection("jdbc:duckdb:" + path.toAbsolutePath(), props), readOnly);
    } catch (ClassNotFoundException e) {
      throw new PlumbException("the DuckDB driver is missing from the class path", e);
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("lock")) {
        throw new PlumbException(path + ": the history is in use by another process (" + firstLine(m) + ")", e);
      }
      throw new InputException(Problem.of(path + ": not a plumb history database: " + firstLine(m)), e);
    }
  }

  private void createSchema() {
    try (Statement s = db.createStatement()) {
      for (String sql : SCHEMA) {
        s.execute(sql);
      }
      try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'format'")) {
        if (!r.next()) {
          s.execute("INSERT INTO meta VALUES ('format', '" + FORMAT + "')");
        } else if (!r.getString(1).equals(FORMAT)) {
          throw new InputException(Problem.of(path + ": history format " + r.getString(1) + ", this plumb reads " + FORMAT));
        }
      }
    } catch (SQLException e) {
      throw failure("create the history tables", e);
    }
  }

  private void checkFormat() {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'format'")) {
      if (!r.next() || !r.getString(1).equals(FORMAT)) {
        throw new InputException(Problem.of(path + ": not a " + FORMAT + " history"));
      }
    } catch (SQLException e) {
      throw new InputException(Problem.of(path + ": not a plumb history database: " + firstLine(e.getMessage())), e);
    }
  }

  /**
   * Records {@code run}, replacing any run of the same series and period in one transaction.
   *
   * @return true when an earlier run of that period was replaced
   * @throws InputException when the series already holds periods of another granularity
   */
  public boolean record(RunRecord run) {
    if (readOnly) {
      throw new IllegalStateException("history opened read-only");
    }
    try {
      db.setAutoCommit(false);
      try {
        try (PreparedStatement q = db.prepareStatement(
            "SELECT DISTINCT granularity FROM runs WHERE series = ? AND granularity <> ?")) {
          q.setString(1, run.series());
          q.setString(2, run.period().granularity().label());
          try (ResultSet r = q.executeQuery()) {
            if (r.next()) {
              throw new InputException(Problem.of("series \"" + run.series() + "\" holds " + r.getString(1)
                  + "s; a " + run.period().granularity().label() + " (" + run.period() + ") cannot join it"));
            }
          }
        }
        int removed = 0;
        for (String table : List.of("estimates", "policy_results", "runs")) {
          try (PreparedStatement d = db.prepareStatement("DELETE FROM " + table + " WHERE series = ? AND period = ?")) {
            d.setString(1, run.series());
            d.setString(2, run.period().key());
            int n = d.executeUpdate();
            if (table.equals("runs")) {
              removed = n;
            }
          }
        }
        insert(run);
        db.commit();
        return removed > 0;
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure("record " + run.period(), e);
    }
  }

  private void insert(RunRecord run) throws SQLException {
    Provenance p = run.provenance();
    try (PreparedStatement s = db.prepareStatement("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, run.series());
      s.setString(2, run.period().key());
      s.setString(3, run.period().granularity().label());
      s.setObject(4, run.period().start());
      s.setTimestamp(5, Timestamp.from(run.recordedAt()));
      s.setString(6, p.promptFingerprint());
      s.setString(7, p.model());
      s.setString(8, p.sampleManifest());
      s.setString(9, p.tool());
      s.setString(10, p.source());
      s.executeUpdate();
    }
    try (PreparedStatement pol = db.prepareStatement(
            "INSERT INTO policy_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement est = db.prepareStatement(
            "INSERT INTO estimates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int ord = 0;
      for (PolicyResult r : run.policies()) {
        int c = rowKey(pol, run, r.policy(), ord++);
        pol.setString(c++, r.version());
        pol.setString(c++, r.recommended());
        pol.setString(c++, r.signoff().verdict());
        pol.setArray(c++, db.createArrayOf("VARCHAR", r.signoff().reasons().toArray()));
        DecisionQuality q = r.quality();
        for (double v : new double[] {q.sensitivity(), q.sensitivityLower(), q.sensitivityUpper(),
            q.specificity(), q.specificityLower(), q.specificityUpper(), q.kappa()}) {
          setDouble(pol, c++, v);
        }
        Sizes z = r.sizes();
        pol.setInt(c++, z.sample());
        pol.setInt(c++, z.samplePlan());
        pol.setInt(c++, z.gold());
        pol.setInt(c++, z.goldPlan());
        pol.setInt(c++, r.goldReuse().units());
        pol.setString(c++, r.goldReuse().reviewedUnder());
        pol.addBatch();
        int eord = 0;
        for (EstimateRow e : r.estimates()) {
          c = rowKey(est, run, r.policy(), eord++);
          est.setString(c++, e.estimator());
          est.setString(c++, e.domain());
          est.setString(c++, e.kind());
          setDouble(est, c++, e.estimate());
          setDouble(est, c++, e.se());
          setDouble(est, c++, e.lower());
          setDouble(est, c++, e.upper());
          setDouble(est, c++, e.confidence());
          est.setString(c++, e.method());
          est.setBoolean(c++, e.recommended());
          est.setString(c++, e.note());
          est.addBatch();
        }
      }
      pol.executeBatch();
      est.executeBatch();
    }
  }

  /**
   * Sets the key that starts a {@code policy_results} and an {@code estimates} row alike (series,
   * period, policy, its order within the run); returns the next column's index.
   */
  private static int rowKey(PreparedStatement s, RunRecord run, String policy, int ord) throws SQLException {
    s.setString(1, run.series());
    s.setString(2, run.period().key());
    s.setString(3, policy);
    s.setInt(4, ord);
    return 5;
  }

  /** One line of {@link #list}: a recorded run without its estimates. */
  public record Entry(
      String series, Period period, java.time.Instant recordedAt, String model, String prompt,
      Map<String, String> verdicts, Map<String, String> versions) {}

  /** Every run, ordered by series then period (oldest first). */
  public List<Entry> list() {
    Map<String, Entry> entries = new LinkedHashMap<>();
    String sql = """
        SELECT r.series, r.period, r.recorded_at, r.model, r.prompt, p.policy, p.verdict, p.version
        FROM runs r LEFT JOIN policy_results p ON p.series = r.series AND p.period = r.period
        ORDER BY r.series, r.period_start, r.granularity, p.ord""";
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        String key = r.getString(1) + "\u0000" + r.getString(2);
        Entry e = entries.computeIfAbsent(key, k -> {
          try {
            return new Entry(r.getString(1), Period.parse(r.getString(2)),
                r.getTimestamp(3).toLocalDateTime().toInstant(ZoneOffset.UTC), r.getString(4), r.getString(5),
                new LinkedHashMap<>(), new LinkedHashMap<>());
          } catch (SQLException ex) {
            throw failure("read the history", ex);
          }
        });
        if (r.getString(6) != null) {
          e.verdicts().put(r.getString(6), r.getString(7));
          e.versions().put(r.getString(6), r.getString(8));
        }
      }
    } catch (SQLException e) {
      throw failure("read the history", e);
    }
    return List.copyOf(entries.values());
  }

  /** The series names, {@code main} first. */
  public List<String> series() {
    List<String> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT DISTINCT series FROM runs ORDER BY series <> 'main', series")) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    } catch (SQLException e) {
      throw failure("read the history", e);
    }
    return out;
  }

  /** Every run of {@code series}, oldest period first, with all its estimates. */
  public List<RunRecord> runs(String series) {
    Map<String, RunRecord.Provenance> prov = new LinkedHashMap<>();
    Map<String, java.time.Instant> recorded = new LinkedHashMap<>();
    Map<String, List<PolicyResult>> policies = new LinkedHashMap<>();
    Map<String, List<EstimateRow>> estimates = new LinkedHashMap<>();
    try {
      forEachRow("SELECT period, recorded_at, prompt, model, sample_manifest, tool, source FROM runs WHERE series = ? "
          + "ORDER BY period_start, granularity", series, r -> {
            prov.put(r.getString(1), new Provenance(r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7)));
            recorded.put(r.getString(1), r.getTimestamp(2).toLocalDateTime().toInstant(ZoneOffset.UTC));
            policies.put(r.getString(1), new ArrayList<>());
          });
      forEachRow("SELECT period, policy, estimator, domain, kind, estimate, se, lower, upper, confidence, method, recommended, note "
          + "FROM estimates WHERE series = ? ORDER BY period, policy, ord", series, r ->
            estimates.computeIfAbsent(r.getString(1) + "\u0000" + r.getString(2), k -> new ArrayList<>())
                .add(new EstimateRow(r.getString(3), r.getString(4), r.getString(5), d(r, 6), d(r, 7), d(r, 8),
                    d(r, 9), d(r, 10), r.getString(11), r.getBoolean(12), r.getString(13))));
      forEachRow("SELECT period, policy, version, recommended, verdict, reasons, sensitivity, sensitivity_lower, "
          + "sensitivity_upper, specificity, specificity_lower, specificity_upper, kappa, sample_n, sample_plan, "
          + "gold_n, gold_plan, " + (hasColumn("policy_results", "gold_reused") ? "gold_reused, gold_reviewed_under"
              : "0, ''") + " FROM policy_results WHERE series = ? ORDER BY period, ord", series, r -> {
            String period = r.getString(1);
            String policy = r.getString(2);
            Object[] reasons = (Object[]) r.getArray(6).getArray();
            policies.get(period).add(new PolicyResult(policy, r.getString(3), r.getString(4),
                new Signoff(r.getString(5), Arrays.stream(reasons).map(String::valueOf).toList()),
                new DecisionQuality(d(r, 7), d(r, 8), d(r, 9), d(r, 10), d(r, 11), d(r, 12), d(r, 13)),
                new Sizes(r.getInt(14), r.getInt(15), r.getInt(16), r.getInt(17)),
                estimates.getOrDefault(period + "\u0000" + policy, List.of()),
                new RunRecord.GoldReuse(r.getString(19), r.getInt(18))));
          });
    } catch (SQLException e) {
      throw failure("read the history", e);
    }
    List<RunRecord> out = new ArrayList<>();
    prov.forEach((period, p) -> out.add(new RunRecord(series, Period.parse(period), recorded.get(period), p, policies.get(period))));
    return out;
  }

  /** One row of a query's result, read in place (the result set moves on after the call). */
  private interface Row {
    void read(ResultSet r) throws SQLException;
  }

  /** Runs {@code sql}, whose one parameter is the series, and hands each result row to {@code row} in order. */
  private void forEachRow(String sql, String series, Row row) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setString(1, series);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          row.read(r);
        }
      }
    }
  }

  /** Whether {@code table} has {@code column} (a history opened read-only cannot be given new columns). */
  private boolean hasColumn(String table, String column) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?")) {
      s.setString(1, table);
      s.setString(2, column);
      try (ResultSet r = s.executeQuery()) {
        return r.next() && r.getInt(1) > 0;
      }
    }
  }

  private static void setDouble(PreparedStatement s, int i, double v) throws SQLException {
    if (Double.isFinite(v)) {
      s.setDouble(i, v);
    } else {
      s.setNull(i, Types.DOUBLE);
    }
  }

  private static double d(ResultSet r, int i) throws SQLException {
    double v = r.getDouble(i);
    return r.wasNull() ? Double.NaN : v;
  }

  private PlumbException failure(String what, SQLException e) {
    return new PlumbException(path + ": cannot " + what + ": " + firstLine(e.getMessage()), e);
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw failure("close", e);
    }
  }
}
