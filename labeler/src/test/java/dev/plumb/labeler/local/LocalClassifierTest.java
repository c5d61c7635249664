package dev.plumb.labeler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClassifierTest {
  @TempDir static Path cache;
  static LocalClassifier classifier;
  static Policy weapons = Synthetic.weapons(1, "Weapons sales and manufacture.");

  @BeforeAll
  static void load() {
    classifier = Synthetic.classifier(cache);
  }

  @AfterAll
  static void close() {
    classifier.close();
  }

  @Test
  void a_violating_pin_among_harmless_components_is_the_evidence() {
    Unit unit = Synthetic.unit("u-1", "pasta recipe", "Here is a simple tomato pasta.",
        "Garden tulips in spring", "Selling two handguns, cash only, no background check, message me");
    PolicyAnswer a = classifier.classify(unit, weapons);
    assertThat(a.policy()).isEqualTo("weapons@1");
    assertThat(a.positive()).isTrue();
    assertThat(a.decision()).isEqualTo("violating");
    assertThat(a.category()).isEqualTo("sale");
    assertThat(a.evidence()).containsExactly("pin-2");
    assertThat(a.confidence()).isGreaterThan(0.5);
    assertThat(a.rationale()).startsWith("score ").contains("from pin-2").contains("nearest examples: sale-");
  }

  @Test
  void harmless_units_are_safe_with_no_evidence_and_category() {
    Unit unit = Synthetic.unit("u-2", "knitting for beginners", "Start with a simple garter stitch scarf.",
        "Autumn hiking trail by the lake");
    PolicyAnswer a = classifier.classify(unit, weapons);
    assertThat(a.positive()).isFalse();
    assertThat(a.decision()).isEqualTo("safe");
    assertThat(a.category()).isNull();
    assertThat(a.evidence()).isEmpty();
    assertThat(classifier.score(unit, weapons)).isLessThan(0.5).isGreaterThan(0);
  }

  @Test
  void the_category_follows_the_nearest_examples() {
    Unit unit = Unit.ofText("u-3", "Step by step guide to machining an untraceable rifle receiver at home");
    PolicyAnswer a = classifier.classify(unit, weapons);
    assertThat(a.positive()).isTrue();
    assertThat(a.category()).isEqualTo("manufacture");
    assertThat(a.evidence()).containsExactly("text");
  }

  @Test
  void an_image_only_unit_is_answered_at_the_prior_and_says_why() {
    Unit unit = new Unit("u-4", Map.of(), List.of(new Component("pin-1", "pin", "", "https://example.com/p.jpg")));
    PolicyAnswer a = classifier.classify(unit, weapons);
    assertThat(a.positive()).isFalse();
    assertThat(a.rationale()).startsWith("no text to read (the local backend does not see images)");
  }

  @Test
  void a_declared_prevalence_moves_the_threshold_and_the_confidence_and_names_the_labels() {
    Unit unit = Synthetic.unit("u-5", "pasta recipe", "Here is a simple tomato pasta.",
        "Garden tulips in spring", "Selling two handguns, cash only, no background check, message me");
    try (LocalClassifier rare = LocalClassifier.builder().cacheDir(cache).prevalence(Map.of("weapons", 0.001)).build()) {
      PolicyAnswer trained = classifier.classify(unit, weapons);
      PolicyAnswer shifted = rare.classify(unit, weapons);
      // at a prevalence far below the training rate the same probability means less
      double p = classifier.score(unit, weapons);
      assertThat(shifted.positive() ? shifted.confidence() : 1 - shifted.confidence()).isLessThan(p);
      assertThat(shifted.rationale()).contains("counts without bias at the declared prevalence 0.001");
      assertThat(rare.model()).startsWith(classifier.model() + "+count-at-");
      assertThat(rare.score(unit, weapons)).isEqualTo(p); // scores rank: unchanged
      assertThat(trained.rationale()).doesNotContain("declared prevalence");
    }
    assertThatThrownBy(() -> LocalClassifier.builder().prevalence(Map.of("weapons", 1.0)))
        .hasMessage("prevalence of weapons is not in (0, 1): 1.0");
  }

  @Test
  void equal_texts_are_embedded_once() {
    String pin = "A cozy reading nook with a blue armchair " + System.nanoTime();
    List<Unit> units = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      units.add(Synthetic.unit("r-" + i, "reading corner ideas " + i, "Try a lamp and a soft rug.", pin));
    }
    LocalClassifier.Stats before = classifier.stats();
    classifier.scoreAll(units, List.of(weapons));
    LocalClassifier.Stats after = classifier.stats();
    // 50 distinct query+response conversations (each turn is read from its conversation's pass) + 1 pin
    assertThat(after.embedded() - before.embedded()).isEqualTo(51);
    classifier.scoreAll(units, List.of(weapons));
    assertThat(classifier.stats().embedded()).isEqualTo(after.embedded());
  }

  @Test
  void trained_models_are_reused_until_the_policy_or_training_data_changes(@TempDir Path dir) throws IOException {
    Policy v1 = Synthetic.weapons(1, "Weapons sales and manufacture.");
    LocalClassifier.ModelInfo first;
    try (LocalClassifier c = Synthetic.classifier(dir)) {
      first = c.prepare(v1);
      assertThat(first.reused()).isFalse();
      assertThat(first.file()).exists();
      assertThat(c.prepare(v1)).isSameAs(first);
    }
    try (LocalClassifier c = Synthetic.classifier(dir)) {
      LocalClassifier.ModelInfo again = c.prepare(v1);
      assertThat(again.reused()).isTrue();
      assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
      Unit u = Unit.ofText("u", "Selling a rifle with no paperwork");
      assertThat(c.score(u, v1)).isEqualTo(classifier.score(u, v1));

      // a changed policy (new content, new sha256) trains a new model
      LocalClassifier.ModelInfo changed = c.prepare(Synthetic.weapons(1, "Edited summary."));
      assertThat(changed.reused()).isFalse();
      assertThat(changed.fingerprint()).isNotEqualTo(first.fingerprint());
    }
    Path train = dir.resolve("train.jsonl");
    Files.writeString(train, "{\"prompt\":\"Selling ammunition in bulk, no questions asked\",\"W\":1}\n"
        + "{\"prompt\":\"Baking sourdough bread at home\",\"W\":0}\n");
    try (LocalClassifier c = LocalClassifier.builder().cacheDir(dir).training(TrainingData.read(train, List.of("W=weapons"))).build()) {
      LocalClassifier.ModelInfo withData = c.prepare(v1);
      assertThat(withData.reused()).isFalse();
      assertThat(withData.positives()).isEqualTo(first.positives() + 1);
    }
    Files.writeString(train, "{\"prompt\":\"Selling ammunition in bulk, no questions asked\",\"W\":1}\n");
    try (LocalClassifier c = LocalClassifier.builder().cacheDir(dir).training(TrainingData.read(train, List.of("W=weapons"))).build()) {
      assertThat(c.prepare(v1).reused()).as("the training file changed").isFalse();
    }
  }

  @Test
  void a_damaged_model_file_is_retrained(@TempDir Path dir) throws IOException {
    Policy v1 = Synthetic.weapons(1, "Weapons sales and manufacture.");
    Path file;
    try (LocalClassifier c = Synthetic.classifier(dir)) {
      file = c.prepare(v1).file();
    }
    Files.writeString(file, "{\"format\":");
    try (LocalClassifier c = Synthetic.classifier(dir)) {
      assertThat(c.prepare(v1).reused()).isFalse();
    }
  }

  @Test
  void a_policy_without_enough_examples_says_what_to_add() {
    Policy bare = new Policy("bare", 1, "Bare", weapons.status(), weapons.effective(), "tests", "Nothing to learn from.",
        weapons.decisions(), List.of(), List.of(), List.of(), List.of(), List.of(), "sha256:00");
    assertThatThrownBy(() -> classifier.prepare(bare))
        .isInstanceOf(InputException.class)
        .hasMessage("bare@1: the local backend needs at least 2 positive and 2 negative training texts, found 0 positive and 60 negative;"
            + " add examples to the policy or a labeled file with --train FILE --map KEY=bare");
  }

  @Test
  void probabilities_are_calibrated_on_held_out_synthetic_texts(@TempDir Path dir) throws IOException {
    // held-out texts of the same two kinds; a calibrated model is right about as often as it says
    String[] items = {"handgun", "rifle", "shotgun", "pistol", "revolver", "carbine"};
    String[] ways = {"for sale, cash only, no background check", "cheap, no paperwork, meet tonight",
        "available, serial number removed, DM me", "to sell quickly, no ID required"};
    String[] hobbies = {"a sourdough loaf", "a wool sweater", "a vegetable garden", "a birdhouse", "a clay pot", "a kite"};
    String[] how = {"step by step for beginners", "with tips from my grandmother", "on a rainy weekend", "with my kids"};
    StringBuilder lines = new StringBuilder();
    for (String item : items) {
      for (int w = 0; w < 2; w++) {
        lines.append("{\"prompt\":\"").append(item).append(' ').append(ways[w]).append("\",\"W\":1}\n");
      }
    }
    for (String hobby : hobbies) {
      for (int w = 0; w < 2; w++) {
        lines.append("{\"prompt\":\"Making ").append(hobby).append(' ').append(how[w]).append("\",\"W\":0}\n");
      }
    }
    Path train = dir.resolve("train.jsonl");
    Files.writeString(train, lines);
    List<Unit> held = new ArrayList<>();
    List<Boolean> truth = new ArrayList<>();
    int id = 0;
    for (String item : items) {
      for (int w = 2; w < 4; w++) {
        held.add(Unit.ofText("h" + id++, item + " " + ways[w]));
        truth.add(true);
      }
    }
    for (String hobby : hobbies) {
      for (int w = 2; w < 4; w++) {
        held.add(Unit.ofText("h" + id++, "Making " + hobby + " " + how[w]));
        truth.add(false);
      }
    }
    try (LocalClassifier c = LocalClassifier.builder().cacheDir(dir).training(TrainingData.read(train, List.of("W=weapons"))).build()) {
      // 12 labeled texts of each class: the fit reads the file and the 60 background texts, not the
      // policy's own examples (docs/local-backend.md, "The model" 2)
      LocalClassifier.ModelInfo info = c.prepare(weapons);
      assertThat(info.positives()).isEqualTo(12);
      assertThat(info.negatives()).isEqualTo(12 + Trainer.BACKGROUND.size());
      assertThat(info.grams()).isPositive();
      double[][] s = c.scoreAll(held, List.of(weapons));
      double brier = 0;
      double meanP = 0;
      double[] p = new double[held.size()];
      boolean[] y = new boolean[held.size()];
      // calibrated to the training texts (12 of 84 positive), moved to the held-out rate 0.5 by
      // the prior-shift correction (Saerens et al. 2002) before it is compared with the truth
      double trained = (double) info.positives() / (info.positives() + info.negatives());
      for (int i = 0; i < held.size(); i++) {
        p[i] = dev.plumb.core.scores.PriorShift.adjust(s[i][0], trained, 0.5);
        y[i] = truth.get(i);
        brier += Math.pow(p[i] - (y[i] ? 1 : 0), 2) / held.size();
        meanP += p[i] / held.size();
      }
      assertThat(Ranking.rocAuc(p, y)).isGreaterThan(0.95);
      assertThat(brier).as("Brier score vs 0.25 for a constant 0.5").isLessThan(0.1);
      assertThat(meanP).as("mean probability vs the held-out positive rate 0.5").isBetween(0.35, 0.65);
    }
  }

  @Test
  void our_encoder_matches_langchain4j_on_short_texts() {
    // LangChain4j's own wrapper of the same ONNX file (one text per call, mean pooling, L2 norm)
    var reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
    String text = "Selling unregistered handguns, cash only";
    float[] theirs = reference.embed(text).content().vector();
    float[] ours = MiniLm.shared(cache).embed(text);
    assertThat(PolicyModel.cosine(theirs, ours)).isGreaterThan(0.9999);
  }
}
