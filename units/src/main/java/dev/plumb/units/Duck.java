package dev.plumb.units;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** An in-memory DuckDB connection with bounded memory that spills to {@code temp}. */
public final class Duck {
  private Duck() {}

  /**
   * @param temp where DuckDB may spill (created by DuckDB on demand)
   * @param memory DuckDB's memory_limit, e.g. {@code 1GB}
   * @param threads worker threads
   */
  public static Connection open(Path temp, String memory, int threads) throws SQLException {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("DuckDB's JDBC driver is missing from the class path", e);
    }
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true"); // results stream to the caller, never held whole
    Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
    try (Statement st = c.createStatement()) {
      st.execute("SET memory_limit = " + literal(memory));
      st.execute("SET temp_directory = " + literal(temp.toAbsolutePath().toString()));
      st.execute("SET threads = " + threads);
      st.execute("SET preserve_insertion_order = false");
      st.execute("SET enable_progress_bar = false");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** A SQL string literal. */
  public static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** A SQL identifier, quoted. */
  public static String ident(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
