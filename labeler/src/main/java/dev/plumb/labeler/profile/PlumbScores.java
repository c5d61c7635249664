package dev.plumb.labeler.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.AnswerCheck;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * plumb's unified prompt with scores: the same requests (byte for byte, fingerprint included) asking
 * for token log-probabilities, and every valid answer's policies scored from the first token of
 * their {@code "decision"} value. An alternative token there counts for the decisions whose id it
 * starts (text up to a closing quote); one that starts a positive and a non-positive decision alike
 * counts for neither.
 */
final class PlumbScores implements LabelingPrompt {
  private final LabelingPrompt base;
  private final Map<String, Policy> byKey = new HashMap<>();

  PlumbScores(LabelingPrompt base, List<Policy> policies) {
    this.base = base;
    policies.forEach(p -> byKey.put(p.key(), p));
  }

  @Override
  public AnswerCheck check(ModelReply reply, Unit unit, List<String> group) {
    AnswerCheck check = base.check(reply.text(), unit);
    if (!(check instanceof AnswerCheck.Valid valid) || reply.logprobs().isEmpty()) {
      return check;
    }
    Map<String, Integer> offsets = decisionOffsets(reply.text());
    Map<String, PolicyAnswer> scored = new LinkedHashMap<>();
    for (Map.Entry<String, PolicyAnswer> e : valid.answers().entrySet()) {
      PolicyAnswer a = e.getValue();
      Policy p = byKey.get(a.policy());
      Integer at = p == null ? null : offsets.get(p.id());
      Double score = at == null ? null
          : DecisionScore.of(reply.text(), reply.logprobs(), at, s -> side(p, s));
      scored.put(e.getKey(), a.withScore(score));
    }
    return new AnswerCheck.Valid(scored);
  }

  /** Whether text starting a decision value starts only positive decisions (TRUE), only others (FALSE), or neither. */
  static Boolean side(Policy p, String start) {
    int quote = start.indexOf('"');
    String s = quote >= 0 ? start.substring(0, quote) : start;
    if (s.isEmpty()) {
      return null;
    }
    boolean pos = false;
    boolean neg = false;
    for (Decision d : p.decisions()) {
      // a token that closes the value names the whole id; one that does not, a start of it
      boolean match = quote >= 0 ? d.id().equals(s) : d.id().startsWith(s);
      if (match) {
        pos |= d.positive();
        neg |= !d.positive();
      }
    }
    return pos == neg ? null : pos;
  }

  /** Policy id → the offset of the first character of its {@code "decision"} value (after the quote). */
  static Map<String, Integer> decisionOffsets(String raw) {
    Map<String, Integer> out = new HashMap<>();
    try (JsonParser jp = Json.mapper().getFactory().createParser(raw)) {
      if (jp.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (jp.nextToken() == JsonToken.FIELD_NAME) {
        String policy = jp.currentName();
        if (jp.nextToken() != JsonToken.START_OBJECT) {
          jp.skipChildren();
          continue;
        }
        while (jp.nextToken() == JsonToken.FIELD_NAME) {
          String field = jp.currentName();
          JsonToken t = jp.nextToken();
          if (field.equals("decision") && t == JsonToken.VALUE_STRING) {
            out.put(policy, (int) jp.currentTokenLocation().getCharOffset() + 1);
          } else if (t.isStructStart()) {
            jp.skipChildren();
          }
        }
      }
    } catch (IOException e) {
      return out; // the check passed, so this does not happen; without offsets there is no score
    }
    return out;
  }

  @Override
  public int topLogprobs() {
    return Profile.TOP_LOGPROBS;
  }

  @Override
  public String fingerprint() {
    return base.fingerprint();
  }

  @Override
  public JsonNode schema() {
    return base.schema();
  }

  @Override
  public List<String> policies() {
    return base.policies();
  }

  @Override
  public RenderedPrompt render(Unit unit, boolean images) {
    return base.render(unit, images);
  }

  @Override
  public AnswerCheck check(String raw, Unit unit) {
    return base.check(raw, unit);
  }

  @Override
  public Double temperature() {
    return base.temperature();
  }

  @Override
  public int maxOutputTokens() {
    return base.maxOutputTokens();
  }
}
