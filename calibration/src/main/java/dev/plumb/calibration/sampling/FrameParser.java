package dev.plumb.calibration.sampling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import dev.plumb.core.UnitCheck;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;

/**
 * The frame's fast path: Jackson's streaming parser over the line's bytes, keeping only {@code id},
 * {@code weight}, {@code scores} and {@code attributes} and skipping the rest. Every field is checked
 * by {@link UnitCheck}, the labeler's checks, with the sampling-frame profile: {@code components}
 * may be absent, and is checked without copying its text when present (components are the bulk of
 * a unit). Every line is still fully tokenised, so invalid JSON anywhere is an error.
 *
 * <p>Its own {@link JsonFactory} rather than {@code Json.mapper()}'s: that one checks duplicate keys
 * in every nested object, which costs more than the parse itself here; the fields sampling reads are
 * checked for duplicates below, the rest is copied unchanged.
 */
final class FrameParser {
  /** Scores are decimals on every line: Jackson's fast double parser (same values, exactly rounded) saves ~5% of a pass. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  FrameUnit parse(byte[] buf, int off, int len, String source, int line) {
    try (JsonParser p = FACTORY.createParser(buf, off, len)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_OBJECT) {
        throw new InputException(
            Problem.at(source, line, "", "expected a JSON object, found " + UnitCheck.describe(t, p)));
      }
      String id = null;
      boolean sawId = false;
      double weight = 1;
      boolean sawWeight = false;
      Map<String, Double> scores = null;
      Map<String, String> attributes = null;
      boolean sawComponents = false;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        switch (name) {
          case "id" -> {
            sawId = once(sawId, name, source, line);
            id = UnitCheck.id(t, p, source, line);
          }
          case "weight" -> {
            sawWeight = once(sawWeight, name, source, line);
            weight = UnitCheck.weight(t, p, source, line);
          }
          case "scores" -> {
            if (scores != null) {
              throw UnitCheck.duplicateField(name, source, line);
            }
            scores = UnitCheck.scores(t, p, source, line);
          }
          case "attributes" -> {
            if (attributes != null) {
              throw UnitCheck.duplicateField(name, source, line);
            }
            attributes = UnitCheck.attributes(t, p, source, line);
          }
          case "components" -> {
            sawComponents = once(sawComponents, name, source, line);
            // checked as the labeler checks them (same messages), without copying their text
            UnitCheck.components(t, p, source, line, false);
          }
          case "design" ->
              throw new InputException(Problem.at(source, line, "design",
                  "a frame unit must not have a design record (this looks like a sample, not a frame)"));
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new InputException(
            Problem.at(source, line, column(p), "", "invalid JSON: unexpected content after the object"));
      }
      UnitCheck.complete(UnitCheck.Profile.SAMPLING_FRAME, id, sawComponents, source, line);
      return new FrameUnit(source, line, id, weight,
          scores == null || scores.isEmpty() ? Map.of() : Collections.unmodifiableMap(scores),
          attributes == null || attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(attributes),
          buf, off, len);
    } catch (JsonProcessingException e) {
      throw new InputException(Problem.at(source, line,
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "",
          "invalid JSON: " + Json.parserMessage(e)));
    } catch (IOException e) {
      throw new InputException(Problem.at(source, line, "", "cannot read: " + e.getMessage()), e);
    }
  }

  private static boolean once(boolean seen, String name, String source, int line) {
    if (seen) {
      throw UnitCheck.duplicateField(name, source, line);
    }
    return true;
  }

  private static int column(JsonParser p) {
    return p.currentTokenLocation() == null ? 0 : Math.max(0, p.currentTokenLocation().getColumnNr());
  }
}
