package dev.plumb.labeler.local;

import dev.plumb.core.Hashing;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyStatus;
import dev.plumb.labeler.policy.Rule;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A synthetic policy and texts written for these tests (no real user content). */
final class Synthetic {
  private Synthetic() {}

  /** One classifier per test JVM: the model loads once (about a second). */
  static LocalClassifier classifier(Path cacheDir) {
    return LocalClassifier.builder().cacheDir(cacheDir).threads(2).build();
  }

  static final String[] SALE = {
    "Selling unregistered handguns, cash only, no background check, message me",
    "Two rifles for sale tonight, serial numbers filed off, meet in the parking lot",
    "Buy a pistol from me without any paperwork, discreet shipping",
    "Got ammo and a shotgun to sell, no ID needed, DM for price",
  };
  static final String[] MANUFACTURE = {
    "How to build a working gun at home from a printed kit, step by step",
    "Instructions to convert a semi-automatic rifle to fully automatic fire",
    "Make your own untraceable firearm with these machined parts",
    "Guide to assembling a homemade pipe gun from hardware store parts",
  };
  static final String[] SAFE = {
    "Easy pasta recipe with tomatoes, garlic and fresh basil",
    "Our team won the football match on Saturday after extra time",
    "Tips for planting tulip bulbs in autumn so they bloom in spring",
    "The museum opened a new exhibit of impressionist paintings",
    "How to knit a warm scarf for beginners",
    "Best hiking trails near the lake with views of the mountains",
    "A review of the new phone's camera and battery life",
    "Watercolor landscape tutorial for a sunny afternoon",
  };

  static Policy weapons(int version, String summary) {
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < SALE.length; i++) {
      examples.add(new Example("sale-" + i, Unit.ofText("ex-sale-" + i, SALE[i]), "violating", "sale", "sells weapons", false));
    }
    for (int i = 0; i < MANUFACTURE.length; i++) {
      examples.add(new Example("make-" + i, Unit.ofText("ex-make-" + i, MANUFACTURE[i]), "violating", "manufacture", "makes weapons", false));
    }
    for (int i = 0; i < SAFE.length; i++) {
      examples.add(new Example("safe-" + i, Unit.ofText("ex-safe-" + i, SAFE[i]), "safe", null, "unrelated", false));
    }
    return new Policy(
        "weapons", version, "Weapons trade", PolicyStatus.ACTIVE, LocalDate.of(2026, 11, 1), "tests", summary,
        List.of(new Decision("violating", "sells or makes weapons", true), new Decision("safe", "anything else", false)),
        List.of(
            new Category("sale", "Sale", "Offering firearms or ammunition for sale outside legal channels",
                List.of("selling guns without a background check"), List.of()),
            new Category("manufacture", "Manufacture", "Instructions for making or modifying firearms",
                List.of("building an untraceable gun at home"), List.of())),
        List.of(new Rule("R1", null, "Any offer to sell a firearm privately is violating.")),
        List.of(new Rule("A1", "news", "News reports about changes to gun laws")),
        examples,
        List.of(),
        Hashing.sha256("weapons@" + version + summary));
  }

  static Unit unit(String id, String query, String response, String... pins) {
    List<Component> cs = new ArrayList<>();
    cs.add(new Component("query", "query", query, null));
    cs.add(new Component("response", "response", response, null));
    for (int i = 0; i < pins.length; i++) {
      cs.add(new Component("pin-" + (i + 1), "pin", pins[i], null));
    }
    return new Unit(id, Map.of("surface", "search"), cs);
  }
}
