package dev.plumb.labeler.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The JSON Schema shipped for editors agrees with the loader on valid and on invalid files. */
class PolicySchemaTest {
  static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(PolicyLibrary.schema(), InputFormat.JSON);

  static List<Error> validate(Path yaml) throws IOException {
    List<dev.plumb.core.Problem> problems = new ArrayList<>();
    dev.plumb.core.LocatedYaml.Node node = PolicyReader.parse(Files.readAllBytes(yaml), yaml.toString(), problems);
    assertThat(problems).isEmpty();
    return SCHEMA.validate(Json.line(node.json()), InputFormat.JSON);
  }

  @Test
  void every_starter_policy_validates_against_the_schema() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("../policies"))) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(5);
      for (Path p : yaml) {
        assertThat(validate(p)).as(p.toString()).isEmpty();
      }
    }
  }

  @Test
  void the_test_fixtures_validate_against_the_schema() throws IOException {
    for (String v : List.of("v1", "v2", "v3")) {
      assertThat(validate(Path.of("src/test/resources/policies/minimal/demo/" + v + ".yaml"))).isEmpty();
    }
  }

  @Test
  void the_schema_rejects_what_the_loader_rejects() throws IOException {
    Path broken = Path.of("src/test/resources/broken");
    for (String c : List.of("wrong_types", "unknown_fields", "missing_fields", "status_and_dates",
        "changes_missing", "bad_ids", "empty_values", "wrong_shapes", "yaml11_boolean_text", "component_problems")) {
      try (Stream<Path> files = Files.walk(broken.resolve(c))) {
        List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).toList();
        assertThat(yaml.stream().anyMatch(p -> {
          try {
            return !validate(p).isEmpty();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })).as(c).isTrue();
      }
    }
  }

  @Test
  void the_schema_names_every_field_the_loader_knows() {
    String schema = PolicyLibrary.schema();
    for (String field : PolicyReader.allFieldNames()) {
      assertThat(schema).as(field).contains("\"" + field + "\"");
    }
  }
}
