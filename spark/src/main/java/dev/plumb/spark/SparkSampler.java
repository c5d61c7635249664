package dev.plumb.spark;

import dev.plumb.calibration.sampling.FrameStream;
import dev.plumb.calibration.sampling.FrameUnit;
import dev.plumb.calibration.sampling.PoissonTotals;
import dev.plumb.calibration.sampling.Sample;
import dev.plumb.calibration.sampling.SampleSketch;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.calibration.sampling.SamplingDesign;
import dev.plumb.calibration.sampling.UnitRandom;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code plumb sample} on Spark: the same designs, random numbers and sketches as the embedded
 * {@link Sampler}, run with one task per frame file, writing the same {@code sample.jsonl} and
 * {@code sample.json}.
 *
 * <ul>
 *   <li>srs, stratified, priority, ppswr: each task streams its file into the design's
 *       {@link SampleSketch} (a bottom-k / top-k / per-stratum / per-draw sketch); the sketches are
 *       merged in a tree on the executors and finished on the driver. Every random number comes from
 *       (seed, unit id), so the sample is the embedded one whatever the partitioning: byte-identical
 *       files for the same frame and seed.
 *   <li>poisson: two passes with a per-record decision. Pass one merges {@link PoissonTotals} (frame
 *       totals and the n largest sizes) into the threshold tau; pass two keeps, independently in
 *       every task, each unit with {@code u_i < min(1, size_i / tau)}. The totals are compensated
 *       sums, so tau — and every pi — equals the embedded one to ~1e-15 relative.
 * </ul>
 *
 * <p>Unit ids must be unique across the frame: the scan also emits the 64-bit id hashes, which a
 * Spark SQL aggregation checks for repeats; a repeated hash is confirmed against the ids by a second
 * read of the files (only when there is one). Bad input stops the job with the same one-line
 * {@link InputException} as {@code plumb sample}; when several files are bad, the one reported is
 * the first task to fail.
 *
 * <p>Driver memory: the merged sketch (proportional to the sample, like the embedded sampler) and
 * the sample itself, written by the driver to a local path.
 */
public final class SparkSampler {
  private static final int BLOCK = 1 << 13;

  private SparkSampler() {}

  /**
   * What to draw.
   *
   * @param frame a file, a directory of part files or a glob, on any Hadoop file system
   * @param out the sample file on the driver's file system; the manifest goes beside it
   */
  public record Request(String frame, SamplingDesign design, long seed, java.nio.file.Path out,
      String createdBy) {
    public Request {
      Objects.requireNonNull(frame, "frame");
      Objects.requireNonNull(design, "design");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(createdBy, "createdBy");
    }
  }

  /** Draws the sample and writes both files; nothing is written when the frame or design is bad. */
  public static Sampler.Result run(SparkSession spark, Request request) {
    Drawn drawn = draw(spark, request.frame(), request.design(), request.seed());
    return Sampler.write(drawn.sample(), request.frame(), drawn.sha256(), request.out(),
        request.createdBy());
  }

  /** A drawn sample and the frame's digest (see {@link FrameFiles#digest}). */
  record Drawn(Sample sample, String sha256) {}

  static Drawn draw(SparkSession spark, String frameArgument, SamplingDesign design, long seed) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf conf = new HadoopConf(jsc.hadoopConfiguration());
    FrameFiles frame = FrameFiles.list(frameArgument, conf.value());
    try {
      return SparkErrors.unwrap(() -> drawOn(spark, jsc, conf, frame, design, seed));
    } finally {
      jsc.setJobDescription(null);
    }
  }

  private static Drawn drawOn(SparkSession spark, JavaSparkContext jsc, HadoopConf conf,
      FrameFiles frame, SamplingDesign design, long seed) {
    JavaRDD<FrameFiles.File> files = jsc.parallelize(frame.files(), frame.files().size());
    JavaRDD<Object> pieces = files
        .mapPartitionsWithIndex((index, it) -> new Scan(index, it.next(), conf, design, seed), false)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      jsc.setJobDescription("plumb sample: scan " + frame.files().size() + " file(s)");
      Scanned all = pieces.filter(p -> p instanceof Scanned).map(p -> (Scanned) p)
          .treeReduce(Scanned::merge);
      jsc.setJobDescription("plumb sample: duplicate ids");
      checkDuplicates(spark, files, pieces, conf, seed);
      List<String> digests = new ArrayList<>(all.digests.values());
      String frameName = frame.argument();
      Sample sample;
      if (design instanceof SamplingDesign.Poisson p) {
        PoissonTotals totals = (PoissonTotals) all.state;
        double tau = totals.tau(frameName);
        jsc.setJobDescription("plumb sample: poisson selection");
        List<Picked> picked = files.mapPartitions(it -> select(it.next(), conf, p, seed, tau)).collect();
        List<Sample.SampledUnit> units = new ArrayList<>(picked.size());
        for (Picked k : picked) {
          units.add(k.unit());
        }
        sample = totals.sample(seed, tau, units);
      } else {
        sample = ((SampleSketch) all.state).finish(frameName);
      }
      return new Drawn(sample, frame.digest(digests));
    } finally {
      pieces.unpersist(false);
    }
  }

  /** One file's state after its scan: a sketch (or Poisson totals) and the file's digest. */
  static final class Scanned implements Serializable {
    private static final long serialVersionUID = 1L;

    final TreeMap<Integer, String> digests = new TreeMap<>();
    Object state;

    Scanned(int index, String sha256, Object state) {
      digests.put(index, sha256);
      this.state = state;
    }

    Scanned merge(Scanned other) {
      digests.putAll(other.digests);
      if (state instanceof PoissonTotals t) {
        t.merge((PoissonTotals) other.state);
      } else {
        ((SampleSketch) state).merge((SampleSketch) other.state);
      }
      return this;
    }
  }

  static FrameStream open(FrameFiles.File file, HadoopConf conf) {
    try {
      Path path = new Path(file.path());
      FileSystem fs = path.getFileSystem(conf.value());
      FrameStream in = FrameStream.open(file.name(), fs.open(path));
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> in.close());
      }
      return in;
    } catch (IOException e) {
      throw FrameFiles.cannotRead(file.name(), e);
    }
  }

  /**
   * Streams one file into the design's state, handing out the id hashes in blocks of 8192 as it
   * goes (for the duplicate check), then the {@link Scanned} state last.
   */
  private static final class Scan implements Iterator<Object> {
    private final int index;
    private final FrameFiles.File file;
    private final HadoopConf conf;
    private final long seed;
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private Object state;
    private FrameStream in;

    Scan(int index, FrameFiles.File file, HadoopConf conf, SamplingDesign design, long seed) {
      this.index = index;
      this.file = file;
      this.conf = conf;
      this.seed = seed;
      this.state = design instanceof SamplingDesign.Poisson p ? new PoissonTotals(p) : design.sketch(seed);
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && state != null) {
        advance();
      }
      return !ready.isEmpty();
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void advance() {
      if (in == null) {
        in = open(file, conf);
      }
      long[] block = new long[BLOCK];
      int k = 0;
      FrameUnit u = null;
      while (k < BLOCK && (u = in.next()) != null) {
        if (state instanceof PoissonTotals t) {
          t.offer(u);
        } else {
          ((SampleSketch) state).offer(u);
        }
        block[k++] = UnitRandom.hash(seed, u.id());
      }
      if (k > 0) {
        ready.add(k == BLOCK ? block : Arrays.copyOf(block, k));
      }
      if (u == null) {
        String sha = in.sha256();
        in.close();
        ready.add(new Scanned(index, sha, state));
        state = null;
      }
    }
  }

  /** Repeated id hashes, by a Spark SQL aggregation; then the ids behind them, by a second read. */
  private static void checkDuplicates(SparkSession spark, JavaRDD<FrameFiles.File> files,
      JavaRDD<Object> pieces, HadoopConf conf, long seed) {
    JavaRDD<Long> hashes = pieces.filter(p -> p instanceof long[]).flatMap(p -> {
      long[] b = (long[]) p;
      return Arrays.stream(b).boxed().iterator();
    });
    List<Row> repeated = spark.createDataset(hashes.rdd(), Encoders.LONG()).toDF("h")
        .groupBy("h").count().filter("count > 1").select("h").limit(1024).collectAsList();
    if (repeated.isEmpty()) {
      return;
    }
    Set<Long> suspects = new HashSet<>();
    for (Row r : repeated) {
      suspects.add(r.getLong(0));
    }
    List<Occurrence> found = files.mapPartitionsWithIndex((index, it) -> {
      FrameFiles.File file = it.next();
      List<Occurrence> out = new ArrayList<>();
      try (FrameStream in = open(file, conf)) {
        FrameUnit u;
        while ((u = in.next()) != null) {
          if (suspects.contains(UnitRandom.hash(seed, u.id()))) {
            out.add(new Occurrence(index, u.id(), u.source(), u.line()));
          }
        }
      }
      return out.iterator();
    }, false).collect();
    List<Occurrence> ordered = new ArrayList<>(found);
    ordered.sort(Comparator.comparingInt(Occurrence::file).thenComparingInt(Occurrence::line));
    Map<String, Occurrence> first = new HashMap<>();
    for (Occurrence o : ordered) {
      Occurrence earlier = first.putIfAbsent(o.id(), o);
      if (earlier != null) {
        String where = earlier.file() == o.file() ? "line " + earlier.line()
            : earlier.source() + " line " + earlier.line();
        throw new InputException(Problem.at(o.source(), o.line(), "id",
            "duplicate unit id " + quote(o.id()) + " (first on " + where + ")"));
      }
    }
  }

  /** Where an id with a suspect hash occurs. */
  record Occurrence(int file, String id, String source, int line) implements Serializable {}

  private static String quote(String s) {
    return Json.line(s.length() > 80 ? s.substring(0, 80) + "..." : s);
  }

  /** Pass two of a Poisson draw on one file: the per-record decisions. */
  private static Iterator<Picked> select(FrameFiles.File file, HadoopConf conf,
      SamplingDesign.Poisson design, long seed, double tau) {
    List<Picked> out = new ArrayList<>();
    try (FrameStream in = open(file, conf)) {
      FrameUnit u;
      while ((u = in.next()) != null) {
        Sample.SampledUnit s = PoissonTotals.select(design, seed, tau, u);
        if (s != null) {
          out.add(Picked.of(s));
        }
      }
    }
    return out.iterator();
  }

  /** A selected unit on its way to the driver (Sample.SampledUnit is not Serializable). */
  record Picked(String id, int line, double weight, double pi, double size, byte[] json)
      implements Serializable {
    static Picked of(Sample.SampledUnit u) {
      Sample.DesignRecord.WithoutReplacement d = (Sample.DesignRecord.WithoutReplacement) u.design();
      return new Picked(u.id(), u.line(), u.weight(), d.pi(), d.size().orElseThrow(), u.json());
    }

    Sample.SampledUnit unit() {
      return new Sample.SampledUnit(id, line, weight,
          new Sample.DesignRecord.WithoutReplacement("all", pi, OptionalDouble.of(size)), json);
    }
  }
}
