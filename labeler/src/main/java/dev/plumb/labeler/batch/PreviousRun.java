package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The totals of the previous {@code run.json} of the same prompt fingerprint and model: what a run
 * adds its own totals to and what a dry run learns the answer length and cache hit rate from.
 *
 * @param total the run.json's {@code total} object
 */
record PreviousRun(JsonNode total) {

  /** The previous run's totals, or {@code null} when there is none of this prompt and model, or it cannot be read. */
  static PreviousRun read(Path runFile, String fingerprint, String model) {
    try {
      if (runFile == null || !Files.isRegularFile(runFile)) {
        return null;
      }
      JsonNode prev = Json.mapper().readTree(Files.readString(runFile));
      if (!fingerprint.equals(prev.path("prompt").asText()) || !model.equals(prev.path("backend").path("model").asText())) {
        return null;
      }
      return new PreviousRun(prev.path("total"));
    } catch (IOException | RuntimeException e) {
      return null; // an unreadable old run.json only loses what could be learned from it
    }
  }

  long requests() {
    return total.path("requests").asLong();
  }

  long rateLimited() {
    return total.path("rate_limited").asLong();
  }

  Tokens tokens() {
    return Tokens.read(total.path("tokens"));
  }

  double costUsd() {
    return total.path("cost_usd").asDouble();
  }
}
