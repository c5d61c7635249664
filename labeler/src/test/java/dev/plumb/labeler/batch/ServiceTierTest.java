package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.Json;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --service-tier}: sent as OpenAI's service_tier, dropped once with a notice when the model refuses it. */
class ServiceTierTest {
  @TempDir Path dir;

  private RunSummary label(FakeOpenAi server, String tier, List<String> notices) throws IOException {
    Path units = dir.resolve("units.jsonl");
    Files.writeString(units, "{\"id\":\"u-1\",\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"hi\"}]}\n"
        + "{\"id\":\"u-2\",\"components\":[{\"id\":\"query\",\"kind\":\"query\",\"text\":\"ho\"}]}\n");
    Notices n = new Notices();
    try (Backend backend = Backends.create(
        new BackendSpec("openai", null, "gpt-4o-mini", server.baseUrl(), Duration.ofSeconds(5), 2, tier),
        Credentials.of(Map.of("OPENAI_API_KEY", "sk-test"), null), n)) {
      return BatchLabeler.run(LabelerConfig.builder().units(units).out(dir.resolve("labels.jsonl"))
          .prompt(new FakePrompt("p@1")).backend(backend).maxConcurrency(1).notices(n)
          .progressInterval(Duration.ofMillis(10))
          .listener(new ProgressListener() {
            @Override
            public void notice(String message) {
              notices.add(message);
            }
          }).build());
    }
  }

  @Test
  void should_ask_for_the_flex_tier_in_every_request() throws IOException {
    try (FakeOpenAi s = new FakeOpenAi(FakeOpenAi.alwaysSafe())) {
      RunSummary r = label(s, "flex", new ArrayList<>());
      assertThat(r.counts().ok()).isEqualTo(2);
      assertThat(s.requests).extracting(q -> q.path("service_tier").asText()).containsExactly("flex", "flex");
    }
  }

  @Test
  void should_drop_a_refused_tier_once_with_a_notice_and_label_at_the_default() throws IOException {
    try (FakeOpenAi s = new FakeOpenAi((req, n) -> req.has("service_tier")
        ? new FakeOpenAi.Error(400, "{\"error\":{\"message\":\"Invalid value for 'service_tier': flex is not available"
            + " for this model.\",\"param\":\"service_tier\",\"code\":\"invalid_value\"}}", Map.of())
        : new FakeOpenAi.Answer(FakePrompt.answerFor(FakeOpenAi.schemaOf(req), "safe")))) {
      List<String> notices = new ArrayList<>();
      RunSummary r = label(s, "flex", notices);
      assertThat(r.counts().ok()).isEqualTo(2);
      assertThat(s.requests).hasSize(3);
      assertThat(notices).containsOnlyOnce(
          "the model refused service_tier flex; sending none for the rest of the run (the default tier applies)");
      assertThat(Json.mapper().readTree(Files.readString(dir.resolve("labels.run.json"))).at("/settings").has("service_tier"))
          .isFalse(); // set by the labeling session, not by a bare LabelerConfig
    }
  }

  @Test
  void should_reject_an_unknown_tier_and_a_tier_for_another_backend() {
    assertThatThrownBy(() -> new BackendSpec("openai", null, "m", null, Duration.ofSeconds(1), 1, "cheap"))
        .hasMessage("--service-tier must be one of auto, default, flex, priority, not \"cheap\"");
    assertThatThrownBy(() -> new BackendSpec("langchain4j", "anthropic", "m", null, Duration.ofSeconds(1), 1, "flex"))
        .hasMessage("--service-tier is for --backend openai (OpenAI's service_tier)");
  }
}
