package dev.plumb.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of docs/architecture.md, checked on the compiled classes. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.plumb");
  }

  @Test
  void calibration_knows_nothing_about_llms_prompts_or_http() {
    noClasses()
        .that().resideInAPackage("dev.plumb.calibration..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(
            "dev.plumb.labeler..", "dev.plumb.cli..", "dev.plumb.units..", "dev.plumb.pipeline..",
            "com.openai..", "dev.langchain4j..", "com.github.mustachejava..",
            "java.net.http..", "okhttp3..", "java.net..")
        .check(classes);
  }

  @Test
  void labeler_knows_nothing_about_sampling_or_estimation() {
    noClasses()
        .that().resideInAPackage("dev.plumb.labeler..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("dev.plumb.calibration..", "dev.plumb.cli..", "dev.plumb.units..")
        .check(classes);
  }

  @Test
  void units_knows_nothing_about_llms_or_the_cli() {
    noClasses()
        .that().resideInAPackage("dev.plumb.units..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("dev.plumb.labeler..", "dev.plumb.cli..", "com.openai..", "dev.langchain4j..")
        .check(classes);
  }

  @Test
  void history_knows_nothing_about_llms_prompts_http_or_the_cli() {
    noClasses()
        .that().resideInAPackage("dev.plumb.history..")
        .should().dependOnClassesThat()
        .resideInAnyPackage(
            "dev.plumb.labeler..", "dev.plumb.cli..", "dev.plumb.units..", "dev.plumb.pipeline..",
            "com.openai..", "dev.langchain4j..", "com.github.mustachejava..",
            "java.net.http..", "okhttp3..")
        .check(classes);
  }

  @Test
  void core_depends_on_no_other_module() {
    noClasses()
        .that().resideInAPackage("dev.plumb.core..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("dev.plumb.calibration..", "dev.plumb.labeler..", "dev.plumb.units..", "dev.plumb.cli..",
            "dev.plumb.history..", "dev.plumb.pipeline..")
        .check(classes);
  }

  @Test
  void pipeline_knows_nothing_about_the_command_line() {
    noClasses()
        .that().resideInAPackage("dev.plumb.pipeline..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("dev.plumb.cli..", "picocli..", "me.tongfei.progressbar..")
        .check(classes);
  }

  @Test
  void only_the_cli_depends_on_the_pipeline() {
    noClasses()
        .that().resideOutsideOfPackages("dev.plumb.pipeline..", "dev.plumb.cli..")
        .should().dependOnClassesThat()
        .resideInAPackage("dev.plumb.pipeline..")
        .check(classes);
  }

  @Test
  void only_the_cli_uses_picocli() {
    noClasses()
        .that().resideOutsideOfPackage("dev.plumb.cli..")
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void every_command_but_the_root_runs_as_an_action_or_groups_subcommands() {
    classes()
        .that().resideInAPackage("dev.plumb.cli").and().areAnnotatedWith(picocli.CommandLine.Command.class)
        .and().doNotBelongToAnyOf(PlumbCommand.class)
        .should().beAssignableTo(ActionCommand.class).orShould().beAssignableTo(GroupCommand.class)
        .check(classes);
  }
}
