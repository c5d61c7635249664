package dev.plumb.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] Spark session for every test class, bound to loopback, without a UI. */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      session = SparkJob.localSession("local[2]", "plumb-test");
    }
    return session;
  }
}
