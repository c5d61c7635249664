package dev.plumb.spark;

import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.calibration.sampling.Sample;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.core.Console;
import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Seed;
import dev.plumb.units.BuildReport;
import dev.plumb.units.UnitBuilder;
import dev.plumb.units.UnitsConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * The entry point for {@code spark-submit}: the Spark counterparts of {@code plumb sample} and
 * {@code plumb units build}, with the same options (docs/spark.md).
 *
 * <pre>
 * spark-submit --class dev.plumb.spark.SparkJob plumb-spark-job.jar \
 *     sample --frame hdfs:///plumb/units/day=2026-12-01 --design design.yaml --out sample.jsonl --seed 42
 * spark-submit --class dev.plumb.spark.SparkJob plumb-spark-job.jar \
 *     units build --config units.yaml --out hdfs:///plumb/units/day=2026-12-01
 * </pre>
 *
 * {@code --master local[N]} runs it without a cluster (driver bound to 127.0.0.1). Exit codes as
 * plumb's: 0 done, 1 --strict found data problems, 2 bad input (one line {@code file:line:col: field: message}), 3 other failures.
 */
public final class SparkJob {
  private static final String USAGE = String.join("\n",
      "Usage: SparkJob sample --frame PATH --design FILE [--out FILE] [--seed N] [--master URL]",
      "       SparkJob units build --config FILE --out PATH [--strict] [--master URL]",
      "",
      "  sample       draw a probability sample of units (as plumb sample): --frame is a file,",
      "               a directory of part files or a glob on any Hadoop file system; --out",
      "               (default sample.jsonl) is written by the driver, sample.json beside it",
      "  units build  build units from logging tables (as plumb units build) with Spark SQL",
      "  --master     local[N] to run here without a cluster; spark-submit sets it otherwise",
      "");

  private SparkJob() {}

  public static void main(String[] args) {
    Console.exit(SparkJob::run, args);
  }

  /** Parses the arguments, starts (and stops) a Spark session and runs the command. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    Args a;
    try {
      a = Args.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("plumb-spark: " + e.getMessage());
      err.print(USAGE);
      return Console.BAD_INPUT;
    }
    if (a == null) {
      out.print(USAGE);
      return Console.OK;
    }
    String master = a.option("master");
    if (master == null && System.getProperty("spark.master") == null) {
      err.println("plumb-spark: no Spark master: submit with spark-submit, or pass --master local[N]");
      return Console.BAD_INPUT;
    }
    SparkSession spark = master == null
        ? SparkSession.builder().appName("plumb " + a.command()).getOrCreate()
        : master.startsWith("local") ? localSession(master, "plumb " + a.command())
        : SparkSession.builder().master(master).appName("plumb " + a.command()).getOrCreate();
    try {
      return run(spark, a, out, err);
    } finally {
      spark.stop();
    }
  }

  /** Runs a command on an existing session (tests share one). */
  static int run(SparkSession spark, PrintWriter out, PrintWriter err, String... args) {
    try {
      Args a = Args.parse(args);
      return a == null ? Console.OK : run(spark, a, out, err);
    } catch (IllegalArgumentException e) {
      err.println("plumb-spark: " + e.getMessage());
      return Console.BAD_INPUT;
    }
  }

  private static int run(SparkSession spark, Args a, PrintWriter out, PrintWriter err) {
    try {
      if (a.command().equals("sample")) {
        sample(spark, a, out);
        return Console.OK;
      }
      return units(spark, a, out, err);
    } catch (RuntimeException e) {
      int code = Console.report(e, err, "plumb-spark", "");
      if (!(e instanceof PlumbException)) {
        e.printStackTrace(err);
      }
      return code;
    }
  }

  private static void sample(SparkSession spark, Args a, PrintWriter w) {
    DesignFile file = DesignFile.read(Path.of(a.required("design")));
    String seedText = a.option("seed");
    Long given = null;
    if (seedText != null) {
      try {
        given = Long.parseLong(seedText);
      } catch (NumberFormatException e) {
        throw new InputException("--seed: expected an integer, found \"" + seedText + "\"");
      }
    }
    Seed seed = Seed.of(given, file.seed());
    String frame = a.required("frame");
    Path out = Path.of(a.optionOr("out", "sample.jsonl"));
    Sampler.Result r = SparkSampler.run(spark,
        new SparkSampler.Request(frame, file.design(), seed.value(), out, createdBy(spark)));
    Sample s = r.sample();
    w.printf(Locale.ROOT, "%s sample of %d units (%d draws) from %s (%d units), seed %d%s%n",
        s.design().type(), s.n(), s.draws(), frame, s.frameUnits(), seed.value(),
        seed.note());
    w.printf(Locale.ROOT, "frame %s%n", r.frameSha256());
    s.tau().ifPresent(t -> w.printf(Locale.ROOT, "tau %s; %d certainty units%n", t, s.certainty()));
    w.printf(Locale.ROOT, "wrote %s and %s%n", r.units(), r.manifest());
  }

  /** Prints what {@code plumb units build} prints; returns 1 when --strict found problems. */
  private static int units(SparkSession spark, Args a, PrintWriter w, PrintWriter e) {
    Path config = Path.of(a.required("config"));
    UnitsConfig cfg = UnitsConfig.read(config);
    String out = a.required("out");
    UnitBuilder.Summary s = SparkUnits.build(spark,
        new SparkUnits.Request(cfg, out, a.flag("strict"), createdBy(spark)));
    return BuildReport.print(s, cfg, config, out, w, e) ? Console.OK : Console.CHECK_FAILED;
  }

  /** The tool, version and Spark version recorded in manifests. */
  static String createdBy(SparkSession spark) {
    String v = SparkJob.class.getPackage().getImplementationVersion();
    return "plumb-spark " + (v == null ? "dev" : v) + " (Spark " + spark.version() + ")";
  }

  /**
   * A local Spark session on loopback: {@code master} is {@code local[N]}; the driver binds to
   * 127.0.0.1 (otherwise it binds to the machine's external address) and runs without a web UI.
   */
  public static SparkSession localSession(String master, String name) {
    return localSession(master, name, Map.of());
  }

  /** {@link #localSession(String, String)} with further Spark settings. */
  static SparkSession localSession(String master, String name, Map<String, String> settings) {
    SparkSession.Builder b = SparkSession.builder()
        .master(master)
        .appName(name)
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4");
    settings.forEach(b::config);
    return b.getOrCreate();
  }

  /** The parsed command line: a command and its {@code --name value} options. */
  record Args(String command, Map<String, String> options) {
    private static final Map<String, Set<String>> KNOWN = Map.of(
        "sample", Set.of("frame", "design", "out", "seed", "master"),
        "units build", Set.of("config", "out", "strict", "master"));
    private static final Set<String> FLAGS = Set.of("strict");

    /** Null for --help. */
    static Args parse(String... args) {
      List<String> rest = new ArrayList<>(List.of(args));
      if (rest.isEmpty()) {
        throw new IllegalArgumentException("missing command");
      }
      if (rest.contains("--help") || rest.contains("-h")) {
        return null;
      }
      String command = rest.remove(0);
      if (command.equals("units")) {
        if (rest.isEmpty() || !rest.get(0).equals("build")) {
          throw new IllegalArgumentException("unknown command \"units" + (rest.isEmpty() ? "" : " " + rest.get(0))
              + "\"; expected \"units build\"");
        }
        rest.remove(0);
        command = "units build";
      }
      Set<String> known = KNOWN.get(command);
      if (known == null) {
        throw new IllegalArgumentException("unknown command \"" + command + "\"; expected sample or units build");
      }
      Map<String, String> options = new HashMap<>();
      for (int i = 0; i < rest.size(); i++) {
        String arg = rest.get(i);
        String name;
        String value;
        int eq = arg.indexOf('=');
        if (!arg.startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument \"" + arg + "\"");
        }
        name = eq > 0 ? arg.substring(2, eq) : arg.substring(2);
        if (!known.contains(name)) {
          throw new IllegalArgumentException("unknown option --" + name + " for " + command);
        }
        if (FLAGS.contains(name)) {
          value = "true";
        } else if (eq > 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < rest.size()) {
          value = rest.get(++i);
        } else {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        if (options.put(name, value) != null) {
          throw new IllegalArgumentException("--" + name + " given twice");
        }
      }
      return new Args(command, Map.copyOf(options));
    }

    String option(String name) {
      return options.get(name);
    }

    String optionOr(String name, String fallback) {
      return options.getOrDefault(name, fallback);
    }

    String required(String name) {
      String v = options.get(name);
      if (v == null) {
        throw new InputException("missing --" + name + " for " + command);
      }
      return v;
    }

    boolean flag(String name) {
      return options.containsKey(name);
    }
  }
}
