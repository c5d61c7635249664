package dev.plumb.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the policy library and the prompt templates are ({@code plumb label}, {@code score}, {@code prompt test}). */
final class LibraryOptions {
  @Mixin PoliciesOption library;

  @Option(
      names = "--prompts",
      paramLabel = "DIR",
      defaultValue = "prompts",
      description = "Prompt template directory (default: ${DEFAULT-VALUE}).")
  Path prompts;

  Path policiesDir() {
    return library.dir;
  }

  Path promptsDir() {
    return prompts;
  }
}
