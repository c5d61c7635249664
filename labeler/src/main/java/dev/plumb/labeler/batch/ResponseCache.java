package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Hashing;
import dev.plumb.core.Json;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.backend.ModelRequest;
import dev.plumb.labeler.backend.TokenLogprob;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A content-addressed cache of model answers, shared by every run under the plumb cache directory
 * ({@code <cache>/responses/ab/abcdef....json}). The key is the SHA-256 of the exact request: backend,
 * provider, base URL, model, messages (images included), schema and output cap. Only answers
 * that passed validation are stored, so a bad answer is asked again next time.
 *
 * <p>Entries are written to a temporary file and renamed into place (a reader sees a whole entry
 * or none). They are not forced to disk: a cache entry lost in a power cut only costs a request.
 * Thread-safe.
 */
final class ResponseCache {
  /** A stored answer, what it cost to get, and its token log-probabilities when they were asked for (else empty). */
  record Entry(String text, long inputTokens, long outputTokens, List<TokenLogprob> logprobs) {
    Entry {
      logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    }

    Entry(String text, long inputTokens, long outputTokens) {
      this(text, inputTokens, outputTokens, List.of());
    }

    /** The stored answer as a reply (no usage: a cached answer costs nothing). */
    ModelReply reply() {
      return new ModelReply(text, null, false, 0, 0, null, "cached", 0, 0, logprobs);
    }
  }

  private final Path dir;

  ResponseCache(Path root) {
    this.dir = root.resolve("responses");
  }

  Path dir() {
    return dir;
  }

  /** The key of a request: {@code sha256:<hex>} of its canonical JSON. */
  static String key(String backend, String provider, String baseUrl, String model, ModelRequest request) {
    ObjectNode k = Json.object();
    k.put("v", 1);
    k.put("backend", backend);
    k.put("provider", provider);
    k.put("base_url", baseUrl == null ? "" : baseUrl);
    k.put("model", model);
    ArrayNode messages = k.putArray("messages");
    for (ChatMessage m : request.messages()) {
      ObjectNode jm = messages.addObject();
      jm.put("role", m.role().name().toLowerCase(Locale.ROOT));
      ArrayNode parts = jm.putArray("parts");
      for (ContentPart p : m.parts()) {
        if (p instanceof ContentPart.Text t) {
          parts.addObject().put("text", t.text());
        } else if (p instanceof ContentPart.Image i) {
          parts.addObject().put("image", i.url()).put("component", i.componentId());
        }
      }
    }
    k.set("schema", request.schema());
    k.put("max_output_tokens", request.maxOutputTokens());
    if (request.topLogprobs() > 0) { // only then: every key of a request without them stays what it was
      k.put("top_logprobs", request.topLogprobs());
    }
    return Hashing.sha256(Json.canonical(k));
  }

  private Path file(String key) {
    String hex = key.substring(Hashing.PREFIX.length());
    return dir.resolve(hex.substring(0, 2)).resolve(hex.substring(2) + ".json");
  }

  /** The stored answer, or {@code null} (also for an unreadable entry, which is then ignored). */
  Entry get(String key) {
    Path f = file(key);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      JsonNode n = Json.mapper().readTree(Files.readString(f, StandardCharsets.UTF_8));
      if (!n.path("text").isTextual()) {
        return null;
      }
      List<TokenLogprob> logprobs = new ArrayList<>();
      for (JsonNode t : n.path("logprobs")) {
        List<TokenLogprob.Alternative> top = new ArrayList<>();
        for (JsonNode a : t.path("top")) {
          top.add(new TokenLogprob.Alternative(a.path("token").asText(), a.path("logprob").asDouble()));
        }
        logprobs.add(new TokenLogprob(t.path("token").asText(), t.path("logprob").asDouble(), top));
      }
      return new Entry(n.get("text").asText(), n.path("input_tokens").asLong(-1), n.path("output_tokens").asLong(-1),
          logprobs);
    } catch (IOException e) {
      return null;
    }
  }

  void put(String key, Entry entry) {
    Path f = file(key);
    try {
      Files.createDirectories(f.getParent());
      ObjectNode n = Json.object();
      n.put("text", entry.text());
      n.put("input_tokens", entry.inputTokens());
      n.put("output_tokens", entry.outputTokens());
      if (!entry.logprobs().isEmpty()) {
        ArrayNode tokens = n.putArray("logprobs");
        for (TokenLogprob t : entry.logprobs()) {
          ObjectNode jt = tokens.addObject().put("token", t.token()).put("logprob", t.logprob());
          ArrayNode top = jt.putArray("top");
          t.top().forEach(a -> top.addObject().put("token", a.token()).put("logprob", a.logprob()));
        }
      }
      Path tmp = Files.createTempFile(f.getParent(), ".entry.", ".partial");
      Files.writeString(tmp, Json.line(n), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // a cache that cannot be written only costs money later; the label itself is safe
    }
  }
}
