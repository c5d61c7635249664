package dev.plumb.labeler.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.Mustache;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled prompt: everything that turns a unit into the exact chat messages for a model and
 * checks the model's answer, identified by a fingerprint. Immutable and thread-safe; made by
 * {@link PromptCompiler#compile}. Its JSON form ({@link #json()}, docs/prompts.md) is what
 * {@code plumb prompt compile} writes.
 *
 * <p>The fingerprint is {@code sha256:} over the canonical JSON (keys sorted, compact) of the bundle
 * without its {@code fingerprint} field: the templates, the rendered system message (policy text,
 * few-shot examples), each policy version's {@code sha256}, the answer schema, the model parameters
 * and the unit encoding version. Two bundles with the same fingerprint send the same messages for
 * every unit.
 */
public final class PromptBundle {
  /** The bundle format, first field of the JSON form. */
  public static final String FORMAT = "plumb.prompt-bundle/1";
  /** The line before a unit's data in the user message. The data's encoding never contains {@code <}. */
  public static final String DATA_OPEN = "<unit_data>";
  /** The line after a unit's data in the user message. */
  public static final String DATA_CLOSE = "</unit_data>";

  static final String IMAGE_OMITTED = "omitted";

  /** Marks where an image part goes in the rendered user text; unit data cannot contain NUL unescaped. */
  private static final Pattern SLOT = Pattern.compile("\u0000plumb-image-(\\d+)\u0000");

  private final List<Policy> policies;
  private final ModelParams model;
  private final String fingerprint;
  private final String system;
  private final ObjectNode schema;
  private final ObjectNode json;
  private final Templates templates;
  private final Mustache user;
  private final Map<String, Object> base;
  private final AnswerChecker checker;

  PromptBundle(
      List<Policy> policies,
      ModelParams model,
      String fingerprint,
      String system,
      ObjectNode schema,
      ObjectNode json,
      Templates templates,
      Mustache user,
      Map<String, Object> base) {
    this.policies = List.copyOf(policies);
    this.model = model;
    this.fingerprint = fingerprint;
    this.system = system;
    this.schema = schema.deepCopy();
    this.json = json.deepCopy();
    this.templates = templates;
    this.user = user;
    this.base = base;
    this.checker = new AnswerChecker(this.policies, this.schema);
  }

  /** {@code sha256:<hex>} over everything that can change an answer; see the class comment. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The policy versions this prompt labels against, sorted by id. */
  public List<Policy> policies() {
    return policies;
  }

  public ModelParams modelParams() {
    return model;
  }

  /** The system message: the same for every unit. */
  public String systemMessage() {
    return system;
  }

  /** The JSON Schema (draft 2020-12) every answer is validated against. A fresh copy. */
  public JsonNode schema() {
    return schema.deepCopy();
  }

  /**
   * The schema as sent to OpenAI's strict structured outputs ({@code response_format} of type
   * {@code json_schema}, {@code strict: true}): {@link #schema()} without {@code $schema} and
   * {@code maxLength}, which strict mode does not accept. A fresh copy.
   */
  public JsonNode strictSchema() {
    return AnswerSchema.strict(schema);
  }

  /** The bundle as JSON (docs/prompts.md). A fresh copy. */
  public ObjectNode toJson() {
    return json.deepCopy();
  }

  /** The bundle as indented JSON with a trailing newline: the same bytes for the same inputs. */
  public String json() {
    return Json.pretty(json);
  }

  /**
   * The exact chat messages for {@code unit}: the system message, then one user message holding
   * the unit's components as delimited JSON data (docs/prompts.md) and, when images are on, one
   * image part per component with an image, in component order.
   *
   * @throws InputException when images are on and an image cannot be used: a local file that is
   *     missing, too large or not a PNG/JPEG/GIF/WebP image, or an unsupported URL scheme
   */
  public RenderedPrompt render(Unit unit, RenderOptions options) {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(options, "options");
    Map<String, String> notes = new HashMap<>();
    List<Map<String, Object>> images = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    List<String> imageComponents = new ArrayList<>();
    List<String> omitted = new ArrayList<>();
    for (Component c : unit.components()) {
      if (!c.hasImage()) {
        continue;
      }
      if (options.images()) {
        urls.add(Images.url(unit, c, options));
        imageComponents.add(c.id());
        int index = urls.size();
        notes.put(c.id(), "image " + index);
        Map<String, Object> ic = new LinkedHashMap<>();
        ic.put("index", index);
        ic.put("component_json", UnitJson.quote(c.id()));
        ic.put("slot", "\u0000plumb-image-" + index + "\u0000");
        images.add(ic);
      } else {
        notes.put(c.id(), IMAGE_OMITTED);
        omitted.add(c.id());
      }
    }
    Map<String, Object> unitContext = new LinkedHashMap<>();
    unitContext.put("unit_json", UnitJson.encode(unit, c -> notes.get(c.id())));
    unitContext.put("has_images", !images.isEmpty());
    unitContext.put("images", images);
    unitContext.put("images_omitted", !omitted.isEmpty());
    String text = templates.render(user, base, unitContext).stripTrailing();
    checkStructure(text);

    List<ContentPart> parts = new ArrayList<>();
    Matcher m = SLOT.matcher(text);
    int from = 0;
    int expected = 1;
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      if (index != expected) {
        throw new InputException(Problem.of(templates.dir().resolve(PromptCompiler.USER)
            + ": template error: each image's {{slot}} must appear once, in order"));
      }
      addText(parts, text.substring(from, m.start()));
      parts.add(new ContentPart.Image(urls.get(index - 1), imageComponents.get(index - 1)));
      from = m.end();
      expected++;
    }
    if (expected != urls.size() + 1) {
      throw new InputException(Problem.of(templates.dir().resolve(PromptCompiler.USER)
          + ": template error: each image's {{slot}} must appear once, in order"));
    }
    addText(parts, text.substring(from));
    for (ContentPart part : parts) {
      if (part instanceof ContentPart.Text t && t.text().indexOf('\u0000') >= 0) {
        throw new PlumbException("the rendered user message contains a NUL character outside an image slot");
      }
    }
    List<ChatMessage> messages =
        List.of(ChatMessage.system(system), new ChatMessage(ChatMessage.Role.USER, parts));
    return new RenderedPrompt(messages, omitted);
  }

  /**
   * Checks a model's raw answer for {@code unit}: JSON (one {@code ```json} fence tolerated, no other
   * text), valid against {@link #schema()}, every policy answered, each category allowed for its
   * decision (a positive decision of a policy with categories names one, any other decision has
   * none), evidence only ids of the unit's components, without repeats, and at least one for a
   * positive decision, a non-empty rationale. {@code Invalid} errors are phrased to be sent back to
   * the model.
   */
  public AnswerCheck check(String raw, Unit unit) {
    Objects.requireNonNull(raw, "raw");
    Objects.requireNonNull(unit, "unit");
    return checker.check(raw, unit);
  }

  /** Renders a synthetic unit with and without images, so template mistakes fail at compile time. */
  void probe() {
    Unit probe = new Unit("probe", Map.of(), List.of(
        new Component("query", "query", "probe", null),
        new Component("pin", "pin", "probe", "https://example.invalid/probe.png")));
    render(probe, RenderOptions.textOnly());
    render(probe, new RenderOptions(true, java.nio.file.Path.of(""), RenderOptions.DEFAULT_MAX_IMAGE_BYTES));
  }

  /** The data block must appear exactly once, as the template wrote it. */
  private void checkStructure(String text) {
    int open = text.indexOf(DATA_OPEN);
    int close = text.indexOf(DATA_CLOSE);
    if (open < 0 || close < open
        || text.indexOf(DATA_OPEN, open + 1) >= 0 || text.indexOf(DATA_CLOSE, close + 1) >= 0) {
      throw new InputException(Problem.of(templates.dir().resolve(PromptCompiler.USER)
          + ": template error: the user message must contain {{data_open}}, the unit data and {{data_close}}"
          + " exactly once, in that order"));
    }
  }

  private static void addText(List<ContentPart> parts, String text) {
    if (!text.isEmpty()) {
      parts.add(new ContentPart.Text(text));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptBundle b && b.fingerprint.equals(fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "PromptBundle[" + fingerprint + ", " + policies.stream().map(Policy::key).toList() + "]";
  }
}
