package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: the list tag blanks the labeling screen of the Label Studio frontend on npm. */
class LabelStudioImagesTest {
  @TempDir Path dir;

  private QueueExport.Request request(LabelStudioImages images) throws IOException {
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      // unit i has i % 3 pins with an image: 0, 1 or 2
      StringBuilder comps = new StringBuilder("{\"id\":\"q\",\"kind\":\"query\",\"text\":\"t" + i + "\"}");
      for (int k = 1; k <= i % 3; k++) {
        comps.append(",{\"id\":\"p").append(k).append("\",\"kind\":\"pin\",\"text\":\"pin\",\"image\":\"https://img.example.com/")
            .append(i).append('-').append(k).append(".jpg\"}");
      }
      s.append("{\"id\":\"u").append(i).append("\",\"components\":[").append(comps)
          .append("],\"design\":{\"stratum\":\"all\",\"pi\":0.1}}\n");
      l.append("{\"unit\":\"u").append(i).append("\",\"policy\":\"a@1\",\"decision\":\"safe\",\"positive\":false,\"status\":\"ok\"}\n");
    }
    Files.writeString(dir.resolve("sample.jsonl"), s);
    Files.writeString(dir.resolve("labels.jsonl"), l);
    Files.writeString(dir.resolve("review.yaml"), "type: srs\nn: 6\n");
    GoldDesign all = GoldDesign.read(dir.resolve("review.yaml"));
    return new QueueExport.Request(dir.resolve("sample.jsonl"), dir.resolve("labels.jsonl"), all, List.of(), null, false, 1,
        dir.resolve("q-" + images.name().toLowerCase(java.util.Locale.ROOT)), "test", key -> Optional.empty(), null, null, 0,
        List.of(), images);
  }

  @Test
  void should_write_one_image_tag_per_slot_and_fill_the_slots_of_every_task() throws IOException {
    QueueExport.Result r = QueueExport.run(request(LabelStudioImages.SLOTS));

    String config = Files.readString(r.files().get(2));
    assertThat(config).doesNotContain("valueList")
        .contains("  <Image name=\"image_1\" value=\"$image_1\"/>\n  <Image name=\"image_2\" value=\"$image_2\"/>\n")
        .doesNotContain("image_3");
    JsonNode tasks = Json.mapper().readTree(r.files().get(1).toFile());
    assertThat(tasks).hasSize(6);
    for (JsonNode t : tasks) {
      JsonNode data = t.get("data");
      List<String> images = Json.mapper().convertValue(data.get("images"), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
      assertThat(data.get("image_1").asText()).isEqualTo(images.size() > 0 ? images.get(0) : VendorFiles.EMPTY_IMAGE);
      assertThat(data.get("image_2").asText()).isEqualTo(images.size() > 1 ? images.get(1) : VendorFiles.EMPTY_IMAGE);
      assertThat(data.has("image_3")).isFalse();
    }
  }

  @Test
  void should_keep_the_list_tag_by_default() throws IOException {
    QueueExport.Result r = QueueExport.run(request(LabelStudioImages.LIST));
    assertThat(Files.readString(r.files().get(2))).contains("  <Image name=\"images\" valueList=\"$images\"/>\n")
        .doesNotContain("image_1");
    assertThat(Files.readString(r.files().get(1))).doesNotContain("\"image_1\"");
  }

  @Test
  void should_name_both_modes_when_the_mode_is_unknown() {
    assertThatThrownBy(() -> LabelStudioImages.parse("slot")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected list or slots, got \"slot\"");
  }
}
