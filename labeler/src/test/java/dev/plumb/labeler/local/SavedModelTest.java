package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavedModelTest {
  private static PolicyModel model(double cvRocAuc) {
    PolicyModel.Member member = new PolicyModel.Member(0.5, new double[] {0.5}, -1.0, new Platt(2.0, 0.25));
    PolicyModel.Centroid c = new PolicyModel.Centroid("violating", new float[] {1f});
    return new PolicyModel("k", "p@1", "sha256:x", "none", "e", 0.5, 3, cvRocAuc, 4, 6, 0.4, List.of(member),
        new Lexical(new long[] {7}, new double[] {0.5}), List.of(), new Platt(1.0, 0.0), "violating", "safe", List.of(c),
        List.of(), List.of(), List.of(new PolicyModel.Neighbour("ex-1", "violating", true, new float[] {1f})),
        new CountThreshold(new double[] {0.5}, new double[] {-1.0}));
  }

  @Test
  void should_write_the_model_file_as_before_and_read_it_back() {
    // the bytes PolicyModel wrote field by field before the file was a record; base64 computed with
    // python3: base64.b64encode(struct.pack('<f', 1.0)) = AACAPw==, '<d' 0.5 = AAAAAAAA4D8=,
    // '<q' 7 = BwAAAAAAAAA=, '<d' -1.0 = AAAAAAAA8L8=
    String line = Json.line(model(0.75).toJson());
    assertThat(line).isEqualTo("{\"format\":\"" + PolicyModel.FORMAT + "\",\"key\":\"k\",\"policy\":\"p@1\","
        + "\"policy_sha256\":\"sha256:x\",\"training\":\"none\",\"embedding\":\"e\",\"classifier\":\"" + PolicyModel.CLASSIFIER
        + "\",\"lambda\":0.5,\"folds\":3,\"cv_roc_auc\":0.75,\"positives\":4,\"negatives\":6,\"prior\":0.4,"
        + "\"members\":[{\"lambda\":0.5,\"weights\":\"AAAAAAAA4D8=\",\"bias\":-1.0,\"platt\":{\"a\":2.0,\"b\":0.25}}],"
        + "\"lexicon\":{\"grams\":\"BwAAAAAAAAA=\",\"idf\":\"AAAAAAAA4D8=\"},\"words\":[],\"platt\":{\"a\":1.0,\"b\":0.0},"
        + "\"positive_decision\":\"violating\",\"negative_decision\":\"safe\","
        + "\"positive_decisions\":[{\"id\":\"violating\",\"vector\":\"AACAPw==\"}],\"negative_decisions\":[],\"categories\":[],"
        + "\"examples\":[{\"id\":\"ex-1\",\"decision\":\"violating\",\"positive\":true,\"vector\":\"AACAPw==\"}],"
        + "\"count_threshold\":{\"positives\":\"AAAAAAAA4D8=\",\"negatives\":\"AAAAAAAA8L8=\"}}");
    assertThat(Json.line(PolicyModel.fromJson(model(0.75).toJson()).toJson())).isEqualTo(line);
  }

  @Test
  void should_leave_out_the_cross_validated_auc_when_it_could_not_be_computed() {
    String line = Json.line(model(Double.NaN).toJson());
    assertThat(line).doesNotContain("cv_roc_auc").contains("\"folds\":3,\"positives\":4,");
    assertThat(PolicyModel.fromJson(model(Double.NaN).toJson()).cvRocAuc()).isNaN();
  }
}
