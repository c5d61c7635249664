package dev.plumb.units.synthetic;

import dev.plumb.core.PlumbException;
import dev.plumb.units.Duck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/** Turns the generator's CSV tables into Parquet files (same names, .parquet), with DuckDB. */
final class Parquet {
  private Parquet() {}

  static void convert(Path dir) {
    try (Connection c = Duck.open(dir.resolve(".duckdb-tmp"), "1GB", 2);
        Statement st = c.createStatement()) {
      for (Path csv : tables(dir)) {
        Path parquet = csv.resolveSibling(csv.getFileName().toString().replaceAll("\\.csv$", ".parquet"));
        st.execute("COPY (SELECT * FROM read_csv(" + Duck.literal(csv.toString())
            + ", header = true, quote = '\"', escape = '\"', delim = ',')) TO "
            + Duck.literal(parquet.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        Files.delete(csv);
      }
    } catch (SQLException e) {
      throw new PlumbException("cannot write Parquet in " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new PlumbException("cannot write Parquet in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> tables(Path dir) throws IOException {
    try (Stream<Path> s = Stream.concat(
        Stream.of(dir.resolve("pins.csv"), dir.resolve("risk_scores.csv")),
        Stream.of("interactions", "components", "impressions").flatMap(t -> list(dir.resolve(t))))) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  private static Stream<Path> list(Path d) {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList().stream();
    } catch (IOException e) {
      throw new PlumbException("cannot list " + d + ": " + e.getMessage(), e);
    }
  }
}
