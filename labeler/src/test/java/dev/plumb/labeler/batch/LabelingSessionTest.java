package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One place for the labeling defaults, and what a session puts into a labeler configuration. */
class LabelingSessionTest {
  @TempDir Path dir;

  private LabelerConfig config(LabelingSession s, Backend backend) {
    BackendSpec spec = s.spec();
    return s.settings(LabelerConfig.builder().units(dir.resolve("units.jsonl")).out(dir.resolve("labels.jsonl"))
        .prompt(new FakePrompt("self_harm")).backend(backend), spec).build();
  }

  private static Backend openAi(BackendSpec spec) {
    return Backends.create(spec, Credentials.of(Map.of("OPENAI_API_KEY", "sk-test"), null), m -> { });
  }

  @Test
  void should_use_the_same_defaults_as_a_bare_labeler_configuration() {
    LabelingSession s = LabelingSession.builder().model("gpt-4.1-mini").build();
    BackendSpec spec = s.spec();
    assertThat(spec.backend()).isEqualTo(LabelingSession.DEFAULT_BACKEND);
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(LabelingSession.DEFAULT_TIMEOUT_SECONDS));
    assertThat(spec.connections()).isEqualTo(LabelingSession.DEFAULT_CONCURRENCY);
    try (Backend b = openAi(spec)) {
      LabelerConfig c = config(s, b);
      LabelerConfig bare = LabelerConfig.builder().units(dir.resolve("u")).out(dir.resolve("o"))
          .prompt(new FakePrompt("self_harm")).backend(b).build();
      assertThat(c.maxConcurrency).isEqualTo(bare.maxConcurrency).isEqualTo(32);
      assertThat(c.maxAttempts).isEqualTo(bare.maxAttempts).isEqualTo(6);
      assertThat(c.rpm).isZero();
      assertThat(c.images).isTrue();
      assertThat(c.cacheDir).isEqualTo(LabelingSession.defaultCacheDir());
      assertThat(c.baseUrl).isEqualTo(spec.displayBaseUrl());
    }
    assertThat(s.maxOutputTokens(4)).isEqualTo(LabelerConfig.defaultMaxOutputTokens(4));
    assertThat(s.modelParams(1).maxOutputTokens()).isEqualTo(450);
  }

  @Test
  void should_carry_every_setting_into_the_configuration() {
    LabelingSession s = LabelingSession.builder().model("m").baseUrl("http://127.0.0.1:9/v1").rpm(500).tpm(200_000)
        .concurrency(4).maxOutputTokens(300).images(false).budgetUsd(2.5).timeoutSeconds(5).maxAttempts(2)
        .cacheDir(dir.resolve("cache")).command("plumb label --units u").createdBy("plumb 1 (commit x)").build();
    assertThat(s.spec().timeout()).isEqualTo(Duration.ofSeconds(5));
    try (Backend b = openAi(s.spec())) {
      LabelerConfig c = config(s, b);
      assertThat(c.rpm).isEqualTo(500);
      assertThat(c.tpm).isEqualTo(200_000);
      assertThat(c.maxConcurrency).isEqualTo(4);
      assertThat(c.images).isFalse();
      assertThat(c.budgetUsd).isEqualTo(2.5);
      assertThat(c.maxAttempts).isEqualTo(2);
      assertThat(c.cacheDir).isEqualTo(dir.resolve("cache"));
      assertThat(c.settings).containsEntry("command", "plumb label --units u");
      assertThat(c.createdBy).isEqualTo("plumb 1 (commit x)");
    }
    assertThat(s.maxOutputTokens(4)).isEqualTo(300);
  }

  @Test
  void should_not_cache_when_told() {
    LabelingSession noCache = LabelingSession.builder().model("m").cache(false).build();
    try (Backend b = openAi(noCache.spec())) {
      assertThat(config(noCache, b).cacheDir).isNull();
    }
    LabelingSession local = LabelingSession.builder().backend("local").build();
    assertThat(local.local()).isTrue();
    assertThat(local.spec()).isNull();
  }

  @Test
  void should_leave_wording_of_a_bad_setting_to_the_caller() {
    LabelingSession s = LabelingSession.builder().backend("langchain4j").model("claude").build();
    assertThatThrownBy(s::spec).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--backend langchain4j needs --provider anthropic or --provider gemini");
    assertThatThrownBy(() -> LabelingSession.builder().maxOutputTokens(0).build().modelParams(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max output tokens must be between 1 and 1000000: 0");
  }
}
