package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.review.Records;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A known-answer unit ({@code honeypots.jsonl}, docs/review.md): a unit as in units.jsonl
 * ({@code id}, {@code components}) plus {@code known}, the correct answer for every policy of the
 * queue, keyed by policy id ({@code self_harm}) or version key ({@code self_harm@3}), each either a
 * decision id or {@code {"decision": ..., "category": ...}}.
 */
record Honeypot(int line, String id, JsonNode components, Map<String, Queue.Known> known) {

  static List<Honeypot> read(Path path, List<ReviewPolicy> policies) {
    List<Honeypot> out = new ArrayList<>();
    Records.FirstLines seen = new Records.FirstLines();
    Records.forEach(path, (source, no, n) -> {
      String id = Records.text(source, no, n, "id");
      seen.require(source, no, "id", id, () -> "duplicate honeypot id \"" + id + "\"");
      JsonNode comps = n.get("components");
      if (comps == null || !comps.isArray() || comps.isEmpty()) {
        throw new InputException(Problem.at(source, no, "components", "expected a non-empty array of components"));
      }
      JsonNode known = n.get("known");
      if (known == null || !known.isObject()) {
        throw new InputException(Problem.at(source, no, "known",
            "expected the known answer per policy, e.g. {\"self_harm\": \"safe\"}"));
      }
      Map<String, Queue.Known> answers = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = known.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = "known." + e.getKey();
        ReviewPolicy p = policies.stream()
            .filter(x -> x.key().equals(e.getKey()) || x.id().equals(e.getKey())).findFirst().orElse(null);
        if (p == null) {
          continue; // a policy this queue does not review
        }
        JsonNode v = e.getValue();
        String decision;
        String category = null;
        if (v.isTextual()) {
          decision = v.asText();
        } else if (v.isObject() && v.path("decision").isTextual()) {
          decision = v.get("decision").asText();
          category = Records.optionalText(source, no, v, "category");
        } else {
          throw new InputException(Problem.at(source, no, field, "expected a decision id or {\"decision\": ..., \"category\": ...}"));
        }
        if (!p.decisions().containsKey(decision)) {
          throw new InputException(Problem.at(source, no, field, "\"" + decision + "\" is not a decision of policy "
              + p.key() + " (" + String.join(", ", p.decisions().keySet()) + ")"));
        }
        if (category != null && !p.categories().isEmpty() && !p.categories().contains(category)) {
          throw new InputException(Problem.at(source, no, field + ".category", "\"" + category
              + "\" is not a category of policy " + p.key() + " (" + String.join(", ", p.categories()) + ")"));
        }
        answers.put(p.key(), new Queue.Known(decision, category));
      }
      for (ReviewPolicy p : policies) {
        if (!answers.containsKey(p.key())) {
          throw new InputException(Problem.at(source, no, "known", "no known answer for policy " + p.id()
              + "; a honeypot needs one for every policy the queue reviews"));
        }
      }
      out.add(new Honeypot(no, id, comps, answers));
    });
    return out;
  }
}
