package dev.plumb.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for every test class, bound to loopback, without a UI. */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      // Test tables are tiny: compiling whole-stage code for each of the ~40 small queries of a
      // units build costs more than running them, and 2 shuffle partitions are plenty.
      session = SparkJob.localSession("local[2]", "plumb-test", Map.of(
          "spark.sql.codegen.wholeStage", "false",
          "spark.sql.shuffle.partitions", "2"));
    }
    return session;
  }
}
