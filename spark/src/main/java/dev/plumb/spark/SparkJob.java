package dev.plumb.spark;

import org.apache.spark.sql.SparkSession;

/** Entry point for spark-submit (filled in below). */
public final class SparkJob {
  private SparkJob() {}

  /**
   * A local Spark session on loopback: {@code master} is {@code local[N]}; the driver binds to
   * 127.0.0.1 (otherwise it binds to the machine's external address) and runs without a web UI.
   */
  public static SparkSession localSession(String master, String name) {
    return SparkSession.builder()
        .master(master)
        .appName(name)
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }
}
