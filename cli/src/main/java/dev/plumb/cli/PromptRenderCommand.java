package dev.plumb.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ContentPart;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.RenderOptions;
import dev.plumb.labeler.prompt.RenderedPrompt;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb prompt render}: exactly what a model receives for one unit (docs/prompts.md). */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Print the exact chat messages the compiled prompt sends for one unit: the system message, then",
      "the user message with the unit as delimited JSON data and, with --images on, one image part per",
      "pin image (a URL as it is, a local file as a data: URL)."
    },
    footer = {
      "",
      "In text format an image part prints as [image COMPONENT: URL], a data: URL shortened to its",
      "type and size; --format json prints every part in full.",
      "",
      "Examples:",
      "  plumb prompt render --units fixtures/units/tour.jsonl --id tour-2",
      "  plumb prompt render --units fixtures/units/tour.jsonl --id tour-2 --images off --policy self_harm",
      "  plumb prompt render --units fixtures/units/tour.jsonl --id tour-adversarial --format json"
    })
final class PromptRenderCommand extends ActionCommand {
  @Mixin PolicyOptions policy;
  @Mixin PromptCommand.Model model;

  @Mixin UnitsOption units;

  @Option(names = "--id", required = true, paramLabel = "UNIT_ID", description = "The id of the unit to render.")
  String id;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (readable) or json (every part in full) (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--images",
      paramLabel = "on|off",
      defaultValue = "on",
      description = "Send pins' images as image parts, or leave them out and let the text stand in (default: ${DEFAULT-VALUE}).")
  Images images;

  @Option(
      names = "--max-image-bytes",
      paramLabel = "N",
      defaultValue = "" + RenderOptions.DEFAULT_MAX_IMAGE_BYTES,
      description = "Largest local image file inlined as a data: URL (default: ${DEFAULT-VALUE}).")
  long maxImageBytes;

  @Override
  public Integer call() {
    if (maxImageBytes < 1) {
      throw new InputException("--max-image-bytes must be positive: " + maxImageBytes);
    }
    PromptBundle bundle = PromptCommand.compile(policy, model);
    Unit unit = Units.find(units.file, id)
        .orElseThrow(() -> new InputException(Problem.of(units.file + ": no unit with id " + Json.line(id))));
    Path base = units.file.toAbsolutePath().getParent();
    RenderOptions options = new RenderOptions(images == Images.ON, base, maxImageBytes);
    RenderedPrompt rendered = bundle.render(unit, options);
    PrintWriter o = out();
    o.print(format == Format.JSON ? json(bundle, unit, rendered) : text(bundle, unit, rendered, images));
    o.flush();
    return ExitCode.OK;
  }

  static String text(PromptBundle bundle, Unit unit, RenderedPrompt r, Images images) {
    StringBuilder sb = new StringBuilder();
    sb.append("# prompt ").append(bundle.fingerprint()).append('\n');
    sb.append("# policies ").append(bundle.policies().stream().map(Policy::key).collect(Collectors.joining(", "))).append('\n');
    sb.append("# unit ").append(Json.line(unit.id())).append(", images ").append(images.name().toLowerCase(Locale.ROOT));
    if (r.textStoodInForImages()) {
      sb.append(" (text stands in for the images of ").append(String.join(", ", r.imagesOmitted().stream().map(Json::line).toList())).append(')');
    }
    sb.append('\n');
    for (ChatMessage m : r.messages()) {
      sb.append("\n----- ").append(m.role().name().toLowerCase(Locale.ROOT)).append(" -----\n");
      for (ContentPart part : m.parts()) {
        if (part instanceof ContentPart.Text t) {
          sb.append(t.text());
        } else if (part instanceof ContentPart.Image image) {
          sb.append("[image ").append(Json.line(image.componentId())).append(": ").append(shortUrl(image.url())).append(']');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code data:image/png;base64,...(1234 bytes)} for inlined files; other URLs as they are. */
  static String shortUrl(String url) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0) {
      return url;
    }
    String payload = url.substring(comma + 1);
    int padding = payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0;
    long bytes = payload.length() / 4L * 3 - padding;
    return url.substring(0, comma + 1) + "...(" + bytes + " bytes)";
  }

  static String json(PromptBundle bundle, Unit unit, RenderedPrompt r) {
    ObjectNode root = Json.object();
    root.put("prompt", bundle.fingerprint());
    ArrayNode ps = root.putArray("policies");
    bundle.policies().forEach(p -> ps.add(p.key()));
    root.put("unit", unit.id());
    ArrayNode omitted = root.putArray("images_omitted");
    r.imagesOmitted().forEach(omitted::add);
    ArrayNode messages = root.putArray("messages");
    for (ChatMessage m : r.messages()) {
      ObjectNode mo = messages.addObject();
      mo.put("role", m.role().name().toLowerCase(Locale.ROOT));
      ArrayNode content = mo.putArray("content");
      for (ContentPart part : m.parts()) {
        ObjectNode po = content.addObject();
        if (part instanceof ContentPart.Text t) {
          po.put("type", "text");
          po.put("text", t.text());
        } else if (part instanceof ContentPart.Image image) {
          po.put("type", "image");
          po.put("component", image.componentId());
          po.put("url", image.url());
        }
      }
    }
    return Json.pretty(root);
  }

  /** Whether pins' images are sent. */
  enum Images {
    ON,
    OFF
  }

  /** How render prints the messages. */
  enum Format {
    TEXT,
    JSON
  }
}
