package dev.plumb.calibration.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.calibration.files.GoldFile;
import dev.plumb.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsTest {
  @TempDir Path dir;

  @Test
  void forEachHandsOnEachRecordWithItsFileAndLine() throws Exception {
    Path f = Files.writeString(dir.resolve("a.jsonl"), "{\"unit\":\"u1\"}\n\n{\"unit\":\"u2\"}\n");
    List<String> seen = new ArrayList<>();
    Records.forEach(f, (source, line, node) -> seen.add(source + ":" + line + ":" + Records.text(source, line, node, "unit")));
    assertThat(seen).containsExactly(f + ":1:u1", f + ":3:u2");
  }

  @Test
  void firstLinesNamesTheEarlierLineOfARepeatedKey() {
    Records.FirstLines lines = new Records.FirstLines();
    lines.require("x.jsonl", 2, "id", "a", () -> "unused");
    lines.require("x.jsonl", 3, "id", "b", () -> "unused");
    assertThatThrownBy(() -> lines.require("x.jsonl", 7, "id", "a", () -> "duplicate id \"a\""))
        .isInstanceOf(InputException.class)
        .hasMessage("x.jsonl:7: id: duplicate id \"a\" (first on line 2)");
  }

  @Test
  void goldFileRejectsASecondRecordForTheSameUnitAndPolicy() throws Exception {
    String rec = "{\"unit\":\"u1\",\"policy\":\"self_harm@3\",\"decision\":\"safe\",\"positive\":false,"
        + "\"phase2\":{\"stratum\":\"s\",\"pi\":1}}\n";
    Path f = Files.writeString(dir.resolve("gold.jsonl"), rec + rec.replace("u1", "u2") + rec);
    assertThatThrownBy(() -> GoldFile.forEach(f, g -> {}))
        .isInstanceOf(InputException.class)
        .hasMessage(f + ":3: unit: duplicate gold for unit \"u1\" and policy self_harm@3 (first on line 1)");
  }
}
