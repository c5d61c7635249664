package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A review queue as recorded in its manifest, {@code queue/queue.json} (docs/review.md): the
 * phase-2 design and seed, the policies and their decisions, the phase-2 strata with their
 * inclusion probabilities, the raters, and every item — a sampled unit or a honeypot — with the
 * raters it was assigned to. Import and simulate read it; nothing else is needed to turn answers
 * into gold.
 *
 * @param seed the seed the subsample, the item order and the assignment were drawn with
 * @param design the normalised review design
 * @param policies the policies every item is reviewed for, in order
 * @param strata the phase-2 strata
 * @param raters the rater list (empty when the vendor assigns raters)
 * @param overlap raters per item
 * @param raterBar minimum honeypot accuracy
 * @param items every item, in queue order
 */
public record Queue(
    long seed, ObjectNode design, List<ReviewPolicy> policies, List<Stratum> strata, List<String> raters,
    int overlap, double raterBar, List<Item> items) {

  public static final String FORMAT = "plumb.queue/1";
  public static final String MANIFEST = "queue.json";

  /**
   * A phase-2 stratum: {@code units} sampled units (N_g) of which {@code n} were drawn by simple
   * random sampling, so each has inclusion probability {@code pi} = n/N_g (0 when the stratum is empty).
   */
  public record Stratum(String id, int units, int n, double pi) {}

  /** A honeypot's known answer for one policy. */
  public record Known(String decision, String category) {}

  /**
   * One item of the queue.
   *
   * @param item the opaque id raters see ({@code q-0001})
   * @param unit the unit id (a sampled unit, or a honeypot's id)
   * @param honeypot whether this is a known-answer check
   * @param stratum the phase-2 stratum ({@code null} for honeypots)
   * @param pi the phase-2 inclusion probability (0 for honeypots)
   * @param raters the assigned raters (empty when the vendor assigns)
   * @param known honeypots only: policy key → known answer
   */
  public record Item(String item, String unit, boolean honeypot, String stratum, double pi, List<String> raters,
      Map<String, Known> known) {
    public Item {
      Objects.requireNonNull(item, "item");
      Objects.requireNonNull(unit, "unit");
      raters = List.copyOf(raters);
      known = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(known));
    }
  }

  public Queue {
    policies = List.copyOf(policies);
    strata = List.copyOf(strata);
    raters = List.copyOf(raters);
    items = List.copyOf(items);
  }

  /** The policy with this key, or null. */
  ReviewPolicy policy(String key) {
    for (ReviewPolicy p : policies) {
      if (p.key().equals(key)) {
        return p;
      }
    }
    return null;
  }

  /** Item id → item. */
  Map<String, Item> byItem() {
    Map<String, Item> m = new LinkedHashMap<>();
    items.forEach(i -> m.put(i.item(), i));
    return m;
  }

  /** The Label Studio control name of a policy's decision: the key with anything but [A-Za-z0-9_] as _. */
  static String control(String policyKey) {
    return policyKey.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The Label Studio control name of a policy's category. */
  static String categoryControl(String policyKey) {
    return control(policyKey) + "_category";
  }

  ObjectNode toJson(String createdBy, ObjectNode inputs) {
    ObjectNode o = Json.object();
    o.put("format", FORMAT);
    o.put("created_by", createdBy);
    o.put("seed", seed);
    o.set("design", design);
    o.setAll(inputs);
    ArrayNode ps = o.putArray("policies");
    for (ReviewPolicy p : policies) {
      ObjectNode po = ps.addObject();
      po.put("key", p.key());
      ArrayNode ds = po.putArray("decisions");
      p.decisions().forEach((d, pos) -> ds.addObject().put("id", d).put("positive", pos));
      ArrayNode cs = po.putArray("categories");
      p.categories().forEach(cs::add);
      po.put("control", control(p.key()));
      po.put("category_control", categoryControl(p.key()));
    }
    ArrayNode ss = o.putArray("strata");
    for (Stratum s : strata) {
      ss.addObject().put("id", s.id()).put("units", s.units()).put("n", s.n()).put("pi", s.pi());
    }
    ArrayNode rs = o.putArray("raters");
    raters.forEach(rs::add);
    o.put("overlap", overlap);
    o.put("rater_bar", raterBar);
    ArrayNode is = o.putArray("items");
    for (Item i : items) {
      ObjectNode io = is.addObject();
      io.put("item", i.item());
      io.put("unit", i.unit());
      if (i.honeypot()) {
        io.put("honeypot", true);
        ObjectNode k = io.putObject("known");
        i.known().forEach((p, a) -> {
          ObjectNode ko = k.putObject(p);
          ko.put("decision", a.decision());
          if (a.category() != null) {
            ko.put("category", a.category());
          }
        });
      } else {
        io.put("stratum", i.stratum());
        io.put("pi", i.pi());
      }
      ArrayNode ir = io.putArray("raters");
      i.raters().forEach(ir::add);
    }
    return o;
  }

  /**
   * Reads {@code dir/queue.json}.
   *
   * @throws InputException when the directory has no manifest or the manifest is not one plumb wrote
   */
  public static Queue read(Path dir) {
    Path file = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new InputException(Problem.of(dir + ": not a review queue (no " + MANIFEST
          + "; write one with plumb queue export)"));
    }
    Located doc = Located.json(file);
    JsonNode o = doc.root();
    if (!FORMAT.equals(o.path("format").asText())) {
      throw doc.error("format", "expected \"" + FORMAT + "\", found " + o.get("format"));
    }
    try {
      List<ReviewPolicy> policies = new ArrayList<>();
      for (JsonNode p : o.withArray("policies")) {
        Map<String, Boolean> ds = new LinkedHashMap<>();
        p.withArray("decisions").forEach(d -> ds.put(d.get("id").asText(), d.get("positive").asBoolean()));
        List<String> cs = new ArrayList<>();
        p.withArray("categories").forEach(c -> cs.add(c.asText()));
        policies.add(new ReviewPolicy(p.get("key").asText(), ds, cs));
      }
      List<Stratum> strata = new ArrayList<>();
      for (JsonNode s : o.withArray("strata")) {
        strata.add(new Stratum(s.get("id").asText(), s.get("units").asInt(), s.get("n").asInt(), s.get("pi").asDouble()));
      }
      List<String> raters = new ArrayList<>();
      o.withArray("raters").forEach(r -> raters.add(r.asText()));
      List<Item> items = new ArrayList<>();
      for (JsonNode i : o.withArray("items")) {
        List<String> ir = new ArrayList<>();
        i.withArray("raters").forEach(r -> ir.add(r.asText()));
        Map<String, Known> known = new HashMap<>();
        boolean honeypot = i.path("honeypot").asBoolean(false);
        if (honeypot) {
          i.get("known").fields().forEachRemaining(e -> known.put(e.getKey(), new Known(
              e.getValue().get("decision").asText(),
              e.getValue().hasNonNull("category") ? e.getValue().get("category").asText() : null)));
        }
        items.add(new Item(i.get("item").asText(), i.get("unit").asText(), honeypot,
            honeypot ? null : i.get("stratum").asText(), honeypot ? 0 : i.get("pi").asDouble(), ir, known));
      }
      return new Queue(o.get("seed").asLong(), (ObjectNode) o.get("design"), policies, strata, raters,
          o.get("overlap").asInt(), o.get("rater_bar").asDouble(), items);
    } catch (RuntimeException e) {
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException(Problem.of(file + ": not a valid queue manifest (" + e + "); re-export the queue"));
    }
  }
}
