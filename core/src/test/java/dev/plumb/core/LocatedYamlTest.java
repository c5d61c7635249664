package dev.plumb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.LocatedYaml.Kind;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Position;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocatedYamlTest {
  private static final Kind CONFIG = Kind.of("config file");
  private static final Kind REVIEWED =
      Kind.reviewed("policy file").withDuplicateKey("duplicate key (first at line %d); YAML would silently keep only the last one");

  @TempDir Path dir;

  private static final String NESTED = """
      tables:
        pins:
          path: pins.csv
          columns: [id, title]
      list:
        - a: 1
          b: [x, y]
        - plain
      """;

  private static String error(String yaml, Kind kind) {
    try {
      LocatedYaml.parse(yaml, "c.yaml", kind);
    } catch (InputException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  @Test
  void should_locate_every_value_and_key_of_nested_maps_and_lists() {
    LocatedYaml y = LocatedYaml.parse(NESTED, "c.yaml", CONFIG);
    assertThat(y.position("tables.pins.path")).isEqualTo(new Position(3, 11));
    assertThat(y.keyPosition("tables.pins.path")).isEqualTo(new Position(3, 5));
    assertThat(y.position("tables.pins.columns[0]")).isEqualTo(new Position(4, 15));
    assertThat(y.position("tables.pins.columns[1]")).isEqualTo(new Position(4, 19));
    assertThat(y.position("list[0].a")).isEqualTo(new Position(6, 8));
    assertThat(y.position("list[0].b[1]")).isEqualTo(new Position(7, 12));
    assertThat(y.position("list[1]")).isEqualTo(new Position(8, 5));
    assertThat(y.keyPosition("list[1]")).as("a list item has no key: its value").isEqualTo(new Position(8, 5));
    assertThat(y.position("")).isEqualTo(new Position(1, 1));

    assertThat(y.error("tables.pins.path", "no file matches pins.csv"))
        .hasMessage("c.yaml:3:11: tables.pins.path: no file matches pins.csv");
    assertThat(y.errorAtKey("tables.pins.path", "only for csv tables"))
        .hasMessage("c.yaml:3:5: tables.pins.path: only for csv tables");
  }

  @Test
  void should_locate_a_missing_field_at_its_nearest_enclosing_field_but_never_at_the_root() {
    LocatedYaml y = LocatedYaml.parse(NESTED, "c.yaml", CONFIG);
    assertThat(y.problem("tables.pins.format", "missing").toString())
        .isEqualTo("c.yaml:" + y.position("tables.pins").line() + ":" + y.position("tables.pins").column()
            + ": tables.pins.format: missing");
    assertThat(y.position("tables.pins")).isNotEqualTo(Position.UNKNOWN);
    assertThat(y.position("list[0].b[7]")).isEqualTo(y.position("list[0].b"));
    assertThat(y.problem("units", "missing").toString()).isEqualTo("c.yaml: units: missing");
    assertThat(y.problem("[3]", "missing").toString()).isEqualTo("c.yaml: [3]: missing");
  }

  @Test
  void should_give_the_same_document_as_plain_json_and_as_located_nodes() {
    LocatedYaml y = LocatedYaml.parse(NESTED, "c.yaml", CONFIG);
    JsonNode tree = y.tree();
    assertThat(Json.line(tree))
        .isEqualTo("{\"tables\":{\"pins\":{\"path\":\"pins.csv\",\"columns\":[\"id\",\"title\"]}},"
            + "\"list\":[{\"a\":1,\"b\":[\"x\",\"y\"]},\"plain\"]}");
    MapNode root = (MapNode) y.root();
    SeqNode list = (SeqNode) root.get("list");
    assertThat(list.path()).isEqualTo("list");
    assertThat(list.items().get(0).path()).isEqualTo("list[0]");
    assertThat(((MapNode) list.items().get(0)).get("b").describe()).isEqualTo("a list");
    assertThat(root.entries().get("list").keyPosition()).isEqualTo(new Position(5, 1));
    assertThat(y.node("list[1]")).isSameAs(list.items().get(1));
    assertThat(y.node("nope")).isNull();
  }

  @Test
  void should_keep_numbers_as_written() {
    LocatedYaml y = LocatedYaml.parse("""
        n: 3
        big: 123456789012345678901234567890
        f: 0.10
        yes_no: no
        quoted: "2"
        nothing: ~
        """, "c.yaml", CONFIG);
    JsonNode t = y.tree();
    assertThat(t.get("n").isIntegralNumber()).isTrue();
    assertThat(t.get("n").longValue()).isEqualTo(3);
    assertThat(t.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(t.get("f").decimalValue()).isEqualTo(new BigDecimal("0.10"));
    assertThat(t.get("quoted").isTextual()).isTrue();
    assertThat(t.get("nothing").isNull()).as(Json.line(t)).isTrue();
    MapNode root = (MapNode) y.root();
    assertThat(root.get("f").describe()).isEqualTo("the number 0.10");
    assertThat(root.get("quoted").describe()).isEqualTo("the string \"2\"");
    assertThat(root.get("nothing").describe()).isEqualTo("nothing (null)");
    assertThat(((Scalar) root.get("yes_no")).token()).as("YAML 1.1").isEqualTo(JsonToken.VALUE_FALSE);
    assertThat(root.get("yes_no").describe()).isEqualTo("the boolean no");
    assertThat(error("a: 1\nup: .inf\n", CONFIG)).as("Jackson has no decimal for it")
        .isEqualTo("c.yaml:2:9: invalid YAML: Malformed numeric value '.inf'");
  }

  @Test
  void should_reject_a_key_written_twice_at_the_second_one() {
    assertThat(error("a: 1\nb:\n  c: 1\n  c: 2\n", CONFIG)).isEqualTo("c.yaml:4:3: b.c: written twice");
    assertThat(error("a: 1\nb:\n  c: 1\n  c: 2\n", Kind.of("run file").withDuplicateKey("written twice (first at line %d)")))
        .isEqualTo("c.yaml:4:3: b.c: written twice (first at line 3)");
    assertThat(error("- {x: 1, x: 2}\n", CONFIG)).isEqualTo("c.yaml:1:10: [0].x: written twice");
  }

  @Test
  void should_collect_every_duplicate_and_alias_and_still_read_the_rest() {
    List<Problem> problems = new ArrayList<>();
    byte[] yaml = "a: &v 1\nb: *v\na: 2\nc: [x, x]\nc: 3\n".getBytes(StandardCharsets.UTF_8);
    LocatedYaml y = LocatedYaml.parse(yaml, "p.yaml", REVIEWED, problems);
    assertThat(problems).extracting(Problem::toString).containsExactly(
        "p.yaml:2:4: b: YAML alias *v is not allowed in policy files; write the content out",
        "p.yaml:3:1: a: duplicate key (first at line 1); YAML would silently keep only the last one",
        "p.yaml:5:1: c: duplicate key (first at line 4); YAML would silently keep only the last one");
    assertThat(Json.line(y.tree())).isEqualTo("{\"a\":1,\"b\":\"*v\",\"c\":[\"x\",\"x\"]}");
    assertThat(y.position("c")).as("the first value keeps the path").isEqualTo(new Position(4, 4));
  }

  @Test
  void should_locate_yaml_syntax_errors_in_one_line() {
    assertThat(error("type: srs\nbins: [0, 0.1\n", CONFIG)).isEqualTo(
        "c.yaml:3:1: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    assertThat(error("type: srs\nbins: [0, 0.1\n", REVIEWED)).isEqualTo(
        "c.yaml:3:1: YAML syntax: expected ',' or ']', but got <stream end> (while parsing a flow sequence at line 2, column 7)");
    assertThat(error("a: b: c\n", CONFIG)).isEqualTo("c.yaml:1:5: invalid YAML: mapping values are not allowed here");
  }

  @Test
  void should_reject_a_second_document() {
    assertThat(error("a: 1\n---\nb: 2\n", Kind.of("design file")))
        .isEqualTo("c.yaml:3:1: a second YAML document; a design file holds exactly one (remove the '---')");
  }

  @Test
  void should_read_an_empty_file_a_comment_or_a_bare_marker_as_no_document() {
    for (String empty : List.of("", "\n\n", "# nothing here\n", "---\n# nothing\n")) {
      LocatedYaml y = LocatedYaml.parse(empty, "c.yaml", CONFIG);
      assertThat(y.isEmpty()).as(empty).isTrue();
      assertThat(y.root()).isNull();
      assertThat(y.tree().isMissingNode()).isTrue();
      assertThat(y.problem("n", "missing").toString()).isEqualTo("c.yaml: n: missing");
    }
    assertThat(LocatedYaml.parse("null\n", "c.yaml", CONFIG).isEmpty()).as("an explicit null is a document").isFalse();
    assertThat(Json.line(LocatedYaml.parse("a:\nb: 1\nc:\n", "c.yaml", CONFIG).tree()))
        .as("an empty value is the empty string").isEqualTo("{\"a\":\"\",\"b\":1,\"c\":\"\"}");
    List<Problem> problems = new ArrayList<>();
    LocatedYaml broken = LocatedYaml.parse(new byte[] {'a', ':', ' ', (byte) 0xff}, "c.yaml", CONFIG, problems);
    assertThat(broken.root()).isNull();
    assertThat(broken.isEmpty()).as("a file that could not be read is not an empty one").isFalse();
    assertThat(problems).hasSize(1);
  }

  @Test
  void should_locate_the_first_byte_that_is_not_utf8() throws IOException {
    Path file = dir.resolve("x.yaml");
    byte[] bytes = "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, bytes);
    assertThatThrownBy(() -> LocatedYaml.read(file, CONFIG))
        .isInstanceOf(InputException.class)
        .hasMessage(file + ":2:7: invalid UTF-8 (byte 0xe9); save the file as UTF-8");
    Files.write(file, "a: \u00e9\u00e9 \uD83D\uDE00 \u00ff".getBytes(StandardCharsets.UTF_8));
    Files.write(file, new byte[] {(byte) 0x80}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> LocatedYaml.read(file, CONFIG))
        .as("columns count characters, an emoji once")
        .hasMessage(file + ":1:10: invalid UTF-8 (byte 0x80); save the file as UTF-8");
  }

  @Test
  void should_skip_a_byte_order_mark_but_report_it_in_a_reviewed_file() throws IOException {
    Path file = dir.resolve("bom.yaml");
    Files.write(file, "\uFEFFa: 1\n".getBytes(StandardCharsets.UTF_8));
    LocatedYaml y = LocatedYaml.read(file, CONFIG);
    assertThat(y.position("a")).isEqualTo(new Position(1, 4));
    assertThatThrownBy(() -> LocatedYaml.read(file, REVIEWED))
        .hasMessage(file + ":1:1: file starts with a byte order mark (U+FEFF); save it as UTF-8 without BOM");
    assertThat(LocatedYaml.parse("\uFEFFa: 1\n", "c.yaml", CONFIG).tree().get("a").intValue()).isEqualTo(1);
  }

  @Test
  void should_count_tabs_in_the_indentation_of_a_reviewed_file() {
    assertThat(error("a:\n\tb: 1\n\tc: 2\n  d: 3\n\t\te: 4\n", REVIEWED))
        .isEqualTo("c.yaml:2:1: tab character in indentation (and on 2 more lines); YAML indents with spaces");
  }

  @Test
  void should_name_a_missing_or_unreadable_file() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> LocatedYaml.read(missing, CONFIG)).hasMessage(missing + ": file not found");
    assertThatThrownBy(() -> LocatedYaml.read(dir, CONFIG)).hasMessageStartingWith(dir + ": cannot read: ");
  }

  @Test
  void should_read_json_with_the_same_positions_and_checks() throws IOException {
    Path file = dir.resolve("q.json");
    Files.writeString(file, "{\n  \"items\": [\n    {\"id\": \"q-1\", \"n\": 2}\n  ]\n}\n");
    LocatedYaml y = LocatedYaml.readJson(file);
    assertThat(y.position("items[0].n")).isEqualTo(new Position(3, 24));
    assertThat(y.tree().at("/items/0/id").asText()).isEqualTo("q-1");
    Files.write(file, "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
    assertThat(LocatedYaml.readJson(file).position("a")).as("a byte order mark is skipped").isEqualTo(new Position(1, 7));
    Files.writeString(file, "{\"a\": 1,\n \"a\": 2}");
    assertThatThrownBy(() -> LocatedYaml.readJson(file)).hasMessage(file + ":2:2: a: written twice");
    Files.writeString(file, "{\"a\": 1,}");
    assertThatThrownBy(() -> LocatedYaml.readJson(file)).hasMessageStartingWith(file + ":1:9: invalid JSON: ");
    Files.writeString(file, "{\"a\": 1} {}");
    assertThatThrownBy(() -> LocatedYaml.readJson(file))
        .hasMessage(file + ":1:10: unexpected content after the document");
  }
}
