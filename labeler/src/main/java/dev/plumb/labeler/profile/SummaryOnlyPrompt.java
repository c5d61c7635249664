package dev.plumb.labeler.profile;

import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.PromptBundle;
import java.util.ArrayList;
import java.util.List;

/**
 * A classifier template with room for a policy's summary only (Llama Guard's category list,
 * ShieldGemma's principle): what such a template leaves out of a policy is the same for every one
 * of them, so it is decided here once.
 */
abstract class SummaryOnlyPrompt extends ProfilePrompt {

  SummaryOnlyPrompt(PromptBundle bundle, Profile.Settings settings, Profile.Choice choice) {
    super(bundle, settings, choice);
  }

  /**
   * {@code categories} (described, never answered), {@code rules}, {@code allowed}, {@code examples}
   * — those the policy has.
   */
  @Override
  final List<String> leftOut(Policy p) {
    List<String> out = new ArrayList<>();
    if (!p.categories().isEmpty()) {
      out.add("categories");
    }
    if (!p.rules().isEmpty()) {
      out.add("rules");
    }
    if (!p.allowed().isEmpty()) {
      out.add("allowed");
    }
    if (!p.examples().isEmpty()) {
      out.add("examples");
    }
    return out;
  }
}
