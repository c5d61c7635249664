package dev.plumb.labeler.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.plumb.core.Json;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every backend against WireMock on port 0: what goes on the wire, and how each failure is classified. */
class BackendTest {
  static final String KEY = "sk-backend-test-SECRET-42";
  private WireMockServer wm;
  private final List<String> notices = new ArrayList<>();

  @BeforeEach
  void start() {
    wm = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    wm.start();
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private static JsonNode schema() {
    try {
      return Json.mapper().readTree(
          "{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\",\"enum\":[\"x\",\"y\"]}},"
              + "\"required\":[\"p\"],\"additionalProperties\":false}");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ModelRequest request() {
    return new ModelRequest(
        List.of(ChatMessage.system("sys"),
            new ChatMessage(ChatMessage.Role.USER, List.of(new ContentPart.Text("unit"),
                new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", "pin-1")))),
        schema(), 300, 0.0, null);
  }

  private Backend openai(Duration timeout) {
    return new OpenAiBackend("gpt-4o-mini", wm.baseUrl() + "/v1", Secret.of(KEY), timeout, 4, notices::add);
  }

  private static String completion(String content) {
    return "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":" + Json.mapper().valueToTree(content) + ",\"refusal\":null},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":7,\"total_tokens\":57}}";
  }

  private BackendException fail(Backend b) {
    try {
      b.call(request());
    } catch (BackendException e) {
      assertThat(e.getMessage()).doesNotContain(KEY);
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void openai_should_send_strict_schema_images_and_read_headers() {
    wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withHeader("x-ratelimit-limit-requests", "500").withHeader("x-ratelimit-remaining-requests", "499")
        .withHeader("x-ratelimit-reset-requests", "120ms").withHeader("x-ratelimit-limit-tokens", "200000")
        .withHeader("x-ratelimit-remaining-tokens", "199000").withHeader("x-ratelimit-reset-tokens", "6m0s")
        .withBody(completion("{\"p\":\"x\"}"))));
    try (Backend b = openai(Duration.ofSeconds(5))) {
      ModelReply r = b.call(request());
      assertThat(r.text()).isEqualTo("{\"p\":\"x\"}");
      assertThat(r.inputTokens()).isEqualTo(50);
      assertThat(r.outputTokens()).isEqualTo(7);
      assertThat(r.limits()).isEqualTo(new RateLimits(500L, 499L, Duration.ofMillis(120), 200000L, 199000L,
          Duration.ofMinutes(6), null));
    }
    wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("Authorization", equalTo("Bearer " + KEY))
        .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
        .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true")))
        .withRequestBody(matchingJsonPath("$.messages[1].content[1].type", equalTo("image_url")))
        .withRequestBody(matchingJsonPath("$.messages[1].content[1].image_url.url", equalTo("data:image/png;base64,iVBORw0KGgo=")))
        .withRequestBody(matchingJsonPath("$.max_completion_tokens", equalTo("300")))
        .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.0"))));
  }

  @Test
  void openai_should_classify_http_failures() {
    try (Backend b = openai(Duration.ofSeconds(5))) {
      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(429)
          .withHeader("retry-after-ms", "1500").withBody("{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}")));
      BackendException rl = fail(b);
      assertThat(rl.kind()).isEqualTo(BackendException.Kind.RATE_LIMITED);
      assertThat(rl.retryAfter()).isEqualTo(Duration.ofMillis(1500));

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(429)
          .withHeader("retry-after", "7").withBody("{\"error\":{\"message\":\"slow\"}}")));
      assertThat(fail(b).retryAfter()).isEqualTo(Duration.ofSeconds(7));

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(429)
          .withBody("{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}")));
      assertThat(fail(b).kind()).isEqualTo(BackendException.Kind.QUOTA_EXHAUSTED);

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(401)
          .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}")));
      BackendException auth = fail(b);
      assertThat(auth.kind()).isEqualTo(BackendException.Kind.AUTHENTICATION);
      assertThat(auth.getMessage()).isEqualTo("HTTP 401 from openai: the API key was refused (Incorrect API key"
          + " provided: [redacted]); check OPENAI_API_KEY (and the organization or project it belongs to)");

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(403).withBody("{}")));
      assertThat(fail(b).kind()).isEqualTo(BackendException.Kind.AUTHENTICATION);

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(404)
          .withBody("{\"error\":{\"message\":\"The model `gpt-9` does not exist\"}}")));
      BackendException nf = fail(b);
      assertThat(nf.kind()).isEqualTo(BackendException.Kind.NOT_FOUND);
      assertThat(nf.getMessage()).endsWith("check --model and --base-url");

      for (int status : new int[] {408, 409, 500, 502, 503}) {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(status)
            .withBody("{\"error\":{\"message\":\"try later\"}}")));
        BackendException t = fail(b);
        assertThat(t.kind()).as("HTTP %d", status).isEqualTo(BackendException.Kind.TRANSIENT);
        assertThat(t.getMessage()).isEqualTo("HTTP " + status + ": try later");
      }

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(400)
          .withBody("{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\"}}")));
      assertThat(fail(b).kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
          .withHeader("Content-Type", "application/json").withBody("<html>gateway</html>")));
      assertThat(fail(b).kind()).isEqualTo(BackendException.Kind.TRANSIENT);
    }
  }

  @Test
  void openai_should_classify_resets_and_timeouts_as_transient() {
    try (Backend b = openai(Duration.ofMillis(300))) {
      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      BackendException reset = fail(b);
      assertThat(reset.kind()).isEqualTo(BackendException.Kind.TRANSIENT);
      assertThat(reset.status()).isZero();

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
      assertThat(fail(b).kind()).isEqualTo(BackendException.Kind.TRANSIENT);

      wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
          .withFixedDelay(2000).withBody(completion("{}"))));
      BackendException slow = fail(b);
      assertThat(slow.kind()).isEqualTo(BackendException.Kind.TRANSIENT);
      assertThat(slow.getMessage()).isEqualTo("no answer within 0.3 s (timeout)");
    }
  }

  @Test
  void openai_should_fall_back_to_json_object_then_text_and_remember_it() {
    wm.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
        .willReturn(aResponse().withStatus(400).withBody("{\"error\":{\"message\":\"json_schema is not supported by this server\"}}")));
    wm.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
        .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_object")))
        .willReturn(aResponse().withStatus(400).withBody("{\"detail\":\"response_format json_object unsupported\"}")));
    wm.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("response_format"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(completion("{\"p\":\"y\"}"))));
    try (Backend b = openai(Duration.ofSeconds(5))) {
      ModelReply r = b.call(request());
      assertThat(r.text()).isEqualTo("{\"p\":\"y\"}");
      assertThat(r.format()).isEqualTo("text");
      assertThat(b.responseFormat()).isEqualTo("text");
      b.call(request());
    }
    assertThat(notices).containsExactly(
        "the server refused the json_schema response format; using json_object for the rest of the run (answers are still validated against the schema)",
        "the server refused the json_object response format; using text for the rest of the run (answers are still validated against the schema)");
    assertThat(wm.getAllServeEvents()).hasSize(4); // the second call goes straight to text
  }

  @Test
  void anthropic_should_send_the_schema_and_images_and_classify_failures() {
    wm.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withHeader("anthropic-ratelimit-requests-limit", "50").withHeader("anthropic-ratelimit-requests-remaining", "49")
        .withBody("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"{\\\"p\\\":\\\"x\\\"}\"}],\"stop_reason\":\"end_turn\","
            + "\"usage\":{\"input_tokens\":40,\"output_tokens\":6}}")));
    try (Backend b = new LangChainBackend("anthropic", "claude-haiku-4-5", wm.baseUrl() + "/v1", Secret.of(KEY),
        Duration.ofSeconds(5), notices::add)) {
      ModelReply r = b.call(request());
      assertThat(r.text()).isEqualTo("{\"p\":\"x\"}");
      assertThat(r.inputTokens()).isEqualTo(40);
      assertThat(r.limits().limitRequests()).isEqualTo(50);
      wm.verify(postRequestedFor(urlPathEqualTo("/v1/messages"))
          .withHeader("x-api-key", equalTo(KEY))
          .withRequestBody(matchingJsonPath("$.output_config.format.type", equalTo("json_schema")))
          .withRequestBody(matchingJsonPath("$.messages[0].content[1].source.type", equalTo("base64")))
          .withRequestBody(matchingJsonPath("$.system[0].text", equalTo("sys"))));

      wm.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(aResponse().withStatus(429).withHeader("retry-after", "3")
          .withBody("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of requests has exceeded your rate limit\"}}")));
      BackendException rl = fail(b);
      assertThat(rl.kind()).isEqualTo(BackendException.Kind.RATE_LIMITED);
      assertThat(rl.retryAfter()).isEqualTo(Duration.ofSeconds(3));

      wm.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(aResponse().withStatus(529)
          .withBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
      assertThat(fail(b).getMessage()).isEqualTo("HTTP 529: Overloaded");

      wm.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(aResponse().withStatus(401)
          .withBody("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}")));
      assertThat(fail(b).getMessage()).isEqualTo("HTTP 401 from anthropic: the API key was refused (invalid x-api-key); check ANTHROPIC_API_KEY");

      wm.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      assertThat(fail(b).kind()).isEqualTo(BackendException.Kind.TRANSIENT);
    }
  }

  @Test
  void gemini_should_send_the_schema_and_read_retry_delay_from_the_body() {
    wm.stubFor(post(urlPathMatching("/v1beta/models/.*:generateContent")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"{\\\"p\\\":\\\"y\\\"}\"}],\"role\":\"model\"},"
            + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":30,\"candidatesTokenCount\":5,\"totalTokenCount\":35}}")));
    try (Backend b = new LangChainBackend("gemini", "gemini-2.5-flash", wm.baseUrl() + "/v1beta", Secret.of(KEY),
        Duration.ofSeconds(5), notices::add)) {
      ModelReply r = b.call(request());
      assertThat(r.text()).isEqualTo("{\"p\":\"y\"}");
      assertThat(r.outputTokens()).isEqualTo(5);
      wm.verify(postRequestedFor(urlPathMatching("/v1beta/models/gemini-2.5-flash:generateContent"))
          .withHeader("x-goog-api-key", equalTo(KEY))
          .withRequestBody(matchingJsonPath("$.generationConfig.responseMimeType", equalTo("application/json")))
          .withRequestBody(matchingJsonPath("$.generationConfig.responseJsonSchema.required[0]", equalTo("p")))
          .withRequestBody(matchingJsonPath("$.contents[0].parts[1].inlineData.mimeType", equalTo("image/png"))));

      wm.stubFor(post(urlPathMatching("/v1beta/models/.*:generateContent")).willReturn(aResponse().withStatus(429)
          .withBody("{\"error\":{\"code\":429,\"message\":\"Quota exceeded for metric: generate_content_free_tier_requests\","
              + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"31s\"}]}}")));
      BackendException rl = fail(b);
      assertThat(rl.kind()).isEqualTo(BackendException.Kind.RATE_LIMITED);
      assertThat(rl.retryAfter()).isEqualTo(Duration.ofSeconds(31));
    }
  }

  @Test
  void credentials_should_come_from_the_environment_or_the_config_file_and_never_print() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("creds", ".properties");
    java.nio.file.Files.writeString(f, "anthropic.api_key = from-file\n");
    Credentials c = Credentials.of(Map.of("OPENAI_API_KEY", "from-env", "GOOGLE_API_KEY", "g"), f);
    assertThat(c.require("openai").reveal()).isEqualTo("from-env");
    assertThat(c.require("anthropic").reveal()).isEqualTo("from-file");
    assertThat(c.require("gemini").reveal()).isEqualTo("g");
    assertThat(c.require("openai").toString()).isEqualTo("[redacted]");
    assertThatThrownBy(() -> Credentials.of(Map.of(), f).require("openai"))
        .hasMessage("no API key for openai: set OPENAI_API_KEY in the environment, or openai.api_key in " + f);
    java.nio.file.Files.delete(f);
  }
}
