package dev.plumb.labeler.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import org.junit.jupiter.api.Test;

class TokensTest {
  @Test
  void should_write_run_json_keys_in_their_order() {
    ObjectNode o = Json.object();
    new Tokens(100, 40, 10, 7).write(o);
    assertThat(Json.line(o)).isEqualTo("{\"input\":100,\"cached_input\":40,\"cache_write_input\":10,\"output\":7}");
  }

  @Test
  void should_count_what_an_older_run_json_lacks_as_zero() throws Exception {
    Tokens old = Tokens.read(Json.mapper().readTree("{\"input\":10,\"cached_input\":0,\"output\":1700}"));
    assertThat(old).isEqualTo(new Tokens(10, 0, 0, 1700));
    assertThat(Tokens.read(Json.mapper().missingNode())).isEqualTo(new Tokens(0, 0, 0, 0));
  }

  @Test
  void should_add_count_by_count() {
    assertThat(new Tokens(1, 2, 3, 4).plus(new Tokens(10, 20, 30, 40))).isEqualTo(new Tokens(11, 22, 33, 44));
  }
}
