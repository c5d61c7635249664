package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files a review vendor or Label Studio reads (docs/review.md): {@code queue.csv} (one row per
 * rater × item × policy), {@code label-studio.json} (tasks, with the LLM's answers as predictions
 * when shown) and {@code label-studio.xml} (the labeling configuration).
 */
final class VendorFiles {
  private VendorFiles() {}

  /** The unit's components as plain text, one per paragraph: {@code [kind id] text}. */
  static String content(JsonNode components) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : components) {
      if (sb.length() > 0) {
        sb.append("\n\n");
      }
      sb.append('[').append(c.path("kind").asText("text")).append(' ').append(c.path("id").asText()).append("] ")
          .append(c.path("text").asText(""));
      if (c.hasNonNull("image")) {
        sb.append(" (image: ").append(c.get("image").asText()).append(')');
      }
    }
    return sb.toString();
  }

  static List<String> images(JsonNode components) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : components) {
      if (c.hasNonNull("image")) {
        out.add(c.get("image").asText());
      }
    }
    return out;
  }

  static String csv(Queue q, Map<String, JsonNode> components, Map<String, QueueExport.LlmAnswer[]> llm,
      Map<String, Integer> index) {
    StringBuilder sb = new StringBuilder();
    List<String> header = new ArrayList<>(List.of(
        "item", "policy", "rater", "decision", "category", "at", "choices", "categories", "content", "images"));
    if (!llm.isEmpty()) {
      header.addAll(List.of("llm_decision", "llm_category", "llm_confidence"));
    }
    Csv.row(sb, header);
    List<String> raters = q.raters().isEmpty() ? java.util.Collections.singletonList(null) : q.raters();
    for (String rater : raters) {
      for (Queue.Item item : q.items()) {
        if (rater != null && !item.raters().contains(rater)) {
          continue;
        }
        JsonNode comps = components.get(item.unit());
        for (ReviewPolicy p : q.policies()) {
          List<String> row = new ArrayList<>(List.of(item.item(), p.key(), rater == null ? "" : rater, "", "", "",
              String.join("|", p.decisions().keySet()), String.join("|", p.categories()), content(comps),
              String.join(" ", images(comps))));
          if (!llm.isEmpty()) {
            QueueExport.LlmAnswer a = item.honeypot() ? null : llm.get(p.key())[index.get(item.unit())];
            row.add(a == null ? "" : a.decision());
            row.add(a == null || a.category() == null ? "" : a.category());
            row.add(a == null || Double.isNaN(a.confidence()) ? "" : Double.toString(a.confidence()));
          }
          Csv.row(sb, row);
        }
      }
    }
    return sb.toString();
  }

  /**
   * What a slot past a unit's last image shows: a transparent 1×1 GIF. An empty value makes the
   * Label Studio frontend on npm (1.4.0) throw the same ResizeObserver error as the list tag and
   * blank the screen (bench/label-studio-render.sh).
   */
  static final String EMPTY_IMAGE = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==";

  /** The most images any item of the queue has: the number of slots of {@link LabelStudioImages#SLOTS}. */
  static int maxImages(Queue q, Map<String, JsonNode> components) {
    int max = 0;
    for (Queue.Item item : q.items()) {
      max = Math.max(max, images(components.get(item.unit())).size());
    }
    return max;
  }

  static ArrayNode tasks(Queue q, Map<String, JsonNode> components, Map<String, QueueExport.LlmAnswer[]> llm,
      Map<String, Integer> index) {
    return tasks(q, components, llm, index, LabelStudioImages.LIST, 0);
  }

  /**
   * The Label Studio tasks. With {@link LabelStudioImages#SLOTS}, {@code image_1} to
   * {@code image_<slots>} hold the unit's images in order, {@link #EMPTY_IMAGE} where it has fewer;
   * {@code images} (the list) is written in both modes.
   */
  static ArrayNode tasks(Queue q, Map<String, JsonNode> components, Map<String, QueueExport.LlmAnswer[]> llm,
      Map<String, Integer> index, LabelStudioImages mode, int slots) {
    ArrayNode tasks = Json.array();
    for (Queue.Item item : q.items()) {
      ObjectNode t = tasks.addObject();
      ObjectNode data = t.putObject("data");
      JsonNode comps = components.get(item.unit());
      data.put("item", item.item());
      data.put("content", content(comps));
      ArrayNode imgs = data.putArray("images");
      List<String> urls = images(comps);
      urls.forEach(imgs::add);
      if (mode == LabelStudioImages.SLOTS) {
        for (int i = 0; i < slots; i++) {
          data.put("image_" + (i + 1), i < urls.size() ? urls.get(i) : EMPTY_IMAGE);
        }
      }
      data.set("components", comps.deepCopy());
      if (!item.raters().isEmpty()) {
        ArrayNode rs = data.putArray("raters");
        item.raters().forEach(rs::add);
      }
      if (!llm.isEmpty() && !item.honeypot()) {
        ArrayNode results = Json.array();
        String model = null;
        for (ReviewPolicy p : q.policies()) {
          QueueExport.LlmAnswer a = llm.get(p.key())[index.get(item.unit())];
          model = model == null ? a.model() : model;
          results.add(choice(Queue.control(p.key()), a.decision()));
          if (a.category() != null) {
            results.add(choice(Queue.categoryControl(p.key()), a.category()));
          }
        }
        ObjectNode pred = t.putArray("predictions").addObject();
        pred.put("model_version", model == null ? "llm" : model);
        pred.set("result", results);
      }
    }
    return tasks;
  }

  private static ObjectNode choice(String control, String value) {
    ObjectNode r = Json.object();
    r.put("from_name", control);
    r.put("to_name", "content");
    r.put("type", "choices");
    r.putObject("value").putArray("choices").add(value);
    return r;
  }

  /** The Label Studio labeling configuration for the queue's policies, images in one list tag. */
  static String labelConfig(Queue q) {
    return labelConfig(q, LabelStudioImages.LIST, 0);
  }

  /** The Label Studio labeling configuration for the queue's policies, images as {@code mode} says. */
  static String labelConfig(Queue q, LabelStudioImages mode, int slots) {
    StringBuilder sb = new StringBuilder();
    sb.append("<View>\n");
    sb.append("  <Header value=\"Item $item\"/>\n");
    sb.append("  <Text name=\"content\" value=\"$content\"/>\n");
    if (mode == LabelStudioImages.LIST) {
      sb.append("  <Image name=\"images\" valueList=\"$images\"/>\n");
    } else {
      for (int i = 1; i <= slots; i++) {
        sb.append("  <Image name=\"image_").append(i).append("\" value=\"$image_").append(i).append("\"/>\n");
      }
    }
    for (ReviewPolicy p : q.policies()) {
      String c = Queue.control(p.key());
      sb.append("  <Header value=\"").append(xml(p.key())).append("\"/>\n");
      sb.append("  <Choices name=\"").append(c)
          .append("\" toName=\"content\" choice=\"single\" required=\"true\" showInline=\"true\">\n");
      p.decisions().keySet().forEach(dec -> sb.append("    <Choice value=\"").append(xml(dec)).append("\"/>\n"));
      sb.append("  </Choices>\n");
      if (!p.categories().isEmpty()) {
        sb.append("  <Choices name=\"").append(Queue.categoryControl(p.key()))
            .append("\" toName=\"content\" choice=\"single\" showInline=\"true\" visibleWhen=\"choice-selected\"")
            .append(" whenTagName=\"").append(c).append("\" whenChoiceValue=\"")
            .append(xml(String.join(",", p.positives()))).append("\">\n");
        p.categories().forEach(cat -> sb.append("    <Choice value=\"").append(xml(cat)).append("\"/>\n"));
        sb.append("  </Choices>\n");
      }
    }
    sb.append("</View>\n");
    return sb.toString();
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
