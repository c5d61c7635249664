package dev.plumb.units;

/**
 * Where DuckDB's SQL and Spark SQL differ in the units queries ({@link UnitsSql}): the string type,
 * quoting, the semi and anti join keywords, SHA-256, the newline character and the infinity test.
 * Everything else in those queries is written once and reads the same in both.
 */
public enum SqlDialect {
  DUCKDB {
    @Override
    public String ident(String s) {
      return Duck.ident(s);
    }

    @Override
    public String literal(String s) {
      return Duck.literal(s);
    }

    @Override
    String userHash(String user, String salt) {
      return "'sha256:' || substr(sha256(" + literal(salt) + " || " + user + "), 1, 16)";
    }
  },
  SPARK {
    @Override
    public String ident(String s) {
      return "`" + s.replace("`", "``") + "`";
    }

    @Override
    public String literal(String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    String userHash(String user, String salt) {
      return "concat('sha256:', substr(sha2(concat(" + literal(salt) + ", " + user + "), 256), 1, 16))";
    }
  };

  /** A quoted column name. */
  public abstract String ident(String s);

  /** A string literal. */
  public abstract String literal(String s);

  /** {@code sha256:} and the first 16 hex digits of SHA-256(salt ‖ user). */
  abstract String userHash(String user, String salt);

  /** The string type. */
  String string() {
    return this == DUCKDB ? "VARCHAR" : "STRING";
  }

  /** {@code SEMI JOIN} or {@code LEFT SEMI JOIN}. */
  String semiJoin() {
    return this == DUCKDB ? "SEMI JOIN" : "LEFT SEMI JOIN";
  }

  /** {@code ANTI JOIN} or {@code LEFT ANTI JOIN}. */
  String antiJoin() {
    return this == DUCKDB ? "ANTI JOIN" : "LEFT ANTI JOIN";
  }

  /** The newline character (U+000A) as an expression. */
  String newline() {
    return this == DUCKDB ? "chr(10)" : "char(10)";
  }

  /** {@code x} is not ±infinity (Spark SQL has no isinf). */
  String finite(String x) {
    return this == DUCKDB ? "NOT isinf(" + x + ")" : x + " < double('Infinity')";
  }
}
