package dev.plumb.calibration.sampling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * {@code plumb sample}: one streaming pass over a frame file (JSON Lines, plain or gzip) that checks
 * every unit, computes the file's SHA-256 and draws the design's sample, then writes
 * {@code sample.jsonl} (each selected unit's original JSON plus its {@code design} record, sorted by
 * id) and {@code sample.json} (the manifest) — both or neither.
 *
 * <p>Memory: the design's sketch (proportional to the sample), one read buffer, and a fixed 16 MB
 * buffer for the duplicate-id check, which spills sorted runs of 64-bit id hashes to temporary files
 * beyond 2M units (see {@link DuplicateIds}). A repeated hash is confirmed against the ids by a
 * second read of the frame, which happens only when the frame has a duplicate (or, with probability
 * ~N²/2⁶⁵, a hash collision).
 */
public final class Sampler {
  /** The {@code format} of sample.json. */
  public static final String FORMAT = "plumb.sample/1";

  private Sampler() {}

  /**
   * What to draw and where to write it.
   *
   * @param out the sample file ({@code .jsonl}, or {@code .jsonl.gz} for gzip); the manifest goes
   *     beside it ({@link #manifestPath})
   * @param createdBy the tool and version recorded in the manifest
   */
  public record Request(Path frame, SamplingDesign design, long seed, Path out, String createdBy) {
    public Request {
      Objects.requireNonNull(frame, "frame");
      Objects.requireNonNull(design, "design");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(createdBy, "createdBy");
    }
  }

  /** What was drawn and written. */
  public record Result(Sample sample, String frameSha256, Path units, Path manifest) {}

  /** Draws the sample and writes both files. Nothing is written when the frame or design is bad. */
  public static Result run(Request request) {
    Drawn drawn = draw(request.frame(), request.design(), request.seed());
    return write(drawn.sample(), request.frame().toString(), drawn.sha256(), request.out(),
        request.createdBy());
  }

  /**
   * Writes a sample drawn elsewhere (e.g. by a distributed engine from the same sketches) exactly as
   * {@link #run} does: {@code out} and its manifest, both or neither.
   *
   * @param framePath the frame as the user named it (recorded in the manifest)
   * @param sha256 the frame's digest, {@code sha256:<hex>}
   */
  public static Result write(Sample sample, String framePath, String sha256, Path out, String createdBy) {
    Path manifest = manifestPath(out);
    ObjectNode json = manifest(sample, framePath, sha256, createdBy);
    write(sample, out, manifest, json);
    return new Result(sample, sha256, out, manifest);
  }

  /**
   * Where the manifest of a sample file goes: {@code sample.jsonl} and {@code sample.jsonl.gz} →
   * {@code sample.json}; any other name gets {@code .json} appended.
   */
  public static Path manifestPath(Path sample) {
    return Jsonl.sibling(sample, ".json");
  }

  /** A drawn sample and the frame's digest. */
  record Drawn(Sample sample, String sha256) {}

  static Drawn draw(Path frame, SamplingDesign design, long seed) {
    String source = frame.toString();
    BaseSketch sketch = (BaseSketch) design.sketch(seed);
    String sha;
    long[] repeated;
    try (FrameReader reader = FrameReader.open(frame); DuplicateIds ids = new DuplicateIds()) {
      if (sketch instanceof StratifiedSketch st) {
        st.lean(new FrameTexts(frame, reader.compressed()));
      }
      FrameParser parser = new FrameParser();
      while (reader.next()) {
        FrameUnit unit = parser.parse(reader.buffer(), reader.offset(), reader.length(), source,
            reader.lineNumber());
        unit.offset = reader.lineOffset();
        long h = UnitRandom.hash(seed, unit.id());
        ids.add(h);
        sketch.offer(unit, h);
      }
      sha = reader.sha256();
      repeated = ids.repeated(1024);
    }
    if (repeated.length > 0) {
      DuplicateIds.confirm(frame, seed, repeated);
    }
    return new Drawn(sketch.finish(source), sha);
  }

  /**
   * The text of lean candidates, read back from the frame: positional reads for a plain file, one
   * more sequential pass (matching line offsets) for gzip.
   */
  private record FrameTexts(Path frame, boolean compressed) implements TextSource {
    @Override
    public void fill(List<Candidate> candidates) {
      try {
        if (!compressed) {
          try (FileChannel ch = FileChannel.open(frame, StandardOpenOption.READ)) {
            for (Candidate c : candidates) {
              ByteBuffer b = ByteBuffer.allocate(c.length);
              long at = c.offset;
              while (b.hasRemaining()) {
                int r = ch.read(b, at);
                if (r < 0) {
                  throw new IOException("the file ended before line " + c.line + " (did it change while sampling?)");
                }
                at += r;
              }
              c.json = b.array();
            }
          }
          return;
        }
        Map<Long, Candidate> byOffset = new HashMap<>();
        for (Candidate c : candidates) {
          byOffset.put(c.offset, c);
        }
        try (FrameReader reader = FrameReader.open(frame)) {
          int left = byOffset.size();
          while (left > 0 && reader.next()) {
            Candidate c = byOffset.get(reader.lineOffset());
            if (c != null && c.json == null) {
              c.json = java.util.Arrays.copyOfRange(reader.buffer(), reader.offset(), reader.offset() + reader.length());
              left--;
            }
          }
        }
        for (Candidate c : candidates) {
          if (c.json == null) {
            throw new IOException("line " + c.line + " was not found again (did the file change while sampling?)");
          }
        }
      } catch (IOException e) {
        throw new PlumbException("cannot read " + frame + " again: " + e.getMessage(), e);
      }
    }
  }

  private static void write(Sample sample, Path out, Path manifest, ObjectNode json) {
    boolean gzip = out.getFileName().toString().endsWith(".gz");
    try (AtomicOutput units = AtomicOutput.create(out); AtomicOutput man = AtomicOutput.create(manifest)) {
      OutputStream raw = new BufferedOutputStream(units.stream(), 1 << 16);
      GZIPOutputStream gz = gzip ? new GZIPOutputStream(raw, 1 << 16) : null;
      OutputStream os = gz != null ? gz : raw;
      byte[] designKey = ",\"design\":".getBytes(StandardCharsets.UTF_8);
      for (Sample.SampledUnit u : sample.units()) {
        byte[] b = u.json();
        int end = b.length - 1;
        while (end >= 0 && b[end] != '}') {
          end--; // trailing whitespace after the object
        }
        os.write(b, 0, end);
        os.write(designKey);
        os.write(Json.line(u.design().toJson()).getBytes(StandardCharsets.UTF_8));
        os.write('}');
        os.write('\n');
      }
      if (gz != null) {
        gz.finish();
      }
      raw.flush();
      man.writer().write(Json.pretty(json));
      units.commit();
      man.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot write " + out + ": " + e.getMessage(), e);
    }
  }

  /** sample.json: docs/formats.md and docs/sampling.md describe every field. */
  static ObjectNode manifest(Sample s, String framePath, String sha256, String createdBy) {
    ObjectNode m = Json.object();
    m.put("format", FORMAT);
    m.set("design", s.design().toJson());
    m.put("seed", s.seed());
    ObjectNode frame = m.putObject("frame");
    frame.put("path", framePath);
    frame.put("sha256", sha256);
    frame.put("units", s.frameUnits());
    number(frame, "weight", s.frameWeight());
    ArrayNode strata = m.putArray("strata");
    for (Sample.Stratum st : s.strata()) {
      ObjectNode o = strata.addObject();
      o.put("id", st.id());
      o.put("units", st.units());
      number(o, "weight", st.weight());
      o.put("n", st.n());
      if (s.design() instanceof SamplingDesign.Ppswr) {
        o.put("draws", st.draws());
      }
      st.pi().ifPresent(pi -> o.put("pi", pi));
      st.size().ifPresent(size -> number(o, "size", size));
      st.scoreSd().ifPresent(sd -> o.put("score_sd", sd));
      st.bin().ifPresent(b -> {
        ObjectNode bin = o.putObject("bin");
        bin.put("policy", b.policy());
        bin.put("label", b.label());
        bin.put("from", b.from());
        bin.put("to", b.to());
        bin.put("closed", b.closed());
      });
      if (!st.attributes().isEmpty()) {
        ObjectNode a = o.putObject("attributes");
        st.attributes().forEach(a::put);
      }
    }
    m.put("n", s.n());
    m.put("draws", s.draws());
    s.tau().ifPresent(t -> m.put("tau", t));
    if (s.design() instanceof SamplingDesign.Poisson p) {
      m.put("expected_n", p.n());
    }
    s.design().sizeMeasure().ifPresent(size -> {
      ObjectNode o = m.putObject("size");
      o.put("measure", size.text());
      s.sizeTotal().ifPresent(t -> number(o, "total", t));
      if (size.usesScores()) {
        o.put("floor", size.floor());
        ObjectNode f = o.putObject("floored");
        f.put("units", s.floored().units());
        number(f, "size", s.floored().size());
      }
    });
    m.put("certainty", s.certainty());
    m.put("order", "id");
    m.put("created_by", createdBy);
    return m;
  }

  /** Whole numbers as integers (weights are usually impression counts), others as doubles. */
  private static void number(ObjectNode o, String key, double x) {
    if (x == Math.rint(x) && Math.abs(x) < 0x1p53) {
      o.put(key, (long) x);
    } else {
      o.put(key, x);
    }
  }
}
