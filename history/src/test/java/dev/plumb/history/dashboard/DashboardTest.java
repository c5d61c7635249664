package dev.plumb.history.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.history.RunRecord;
import dev.plumb.history.synthetic.HistoryGenerator;
import dev.plumb.history.synthetic.HistoryGenerator.Scenario;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

class DashboardTest {

  @Test
  void should_render_one_self_contained_page_with_a_card_per_policy_and_the_provenance_markers() throws Exception {
    List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(7));
    String html = Dashboard.render("demo.duckdb", runs, Map.of(), "plumb test");

    assertThat(html).startsWith("<!DOCTYPE html>")
        .contains("60 daily runs, 2026-10-02 to 2026-11-30 · 4 policies · demo.duckdb")
        .contains("id=\"p-self_harm\"", "id=\"p-harassment\"", "id=\"p-adult_sexual\"", "id=\"p-misinformation\"")
        .contains(">self_harm@2</text>", ">model gpt-4.1</text>", ">By surface (same scale)</h4>")
        .doesNotContain("<script", "<link", "src=\"http", "href=\"http", "@import");
    // the only URL is the SVG namespace
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:");
    // per policy: main chart, 3 surfaces, quality trend
    Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
    int svgs = 0;
    while (m.find()) {
      DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(m.group())));
      svgs++;
    }
    assertThat(svgs).isEqualTo(4 * 5);
    // the events table lists the three kinds of change on the right days
    assertThat(html).contains("2026-10-20", "2026-11-01", "2026-11-11");
  }

  @Test
  void should_find_version_model_and_prompt_changes_between_consecutive_runs() {
    List<Dashboard.Event> events = Dashboard.events(HistoryGenerator.generate(Scenario.standard(1)));
    assertThat(events).extracting(Dashboard.Event::period, Dashboard.Event::kind, Dashboard.Event::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("2026-10-20", "prompt", "prompt 462840ae"),
            org.assertj.core.groups.Tuple.tuple("2026-11-01", "version", "self_harm@2"),
            org.assertj.core.groups.Tuple.tuple("2026-11-01", "prompt", "prompt 9d7d1804"),
            org.assertj.core.groups.Tuple.tuple("2026-11-11", "model", "model gpt-4.1"));
  }

  @Test
  void should_draw_a_backfilled_series_beside_the_main_one() {
    Scenario sc = Scenario.standard(7);
    List<RunRecord> bridge = HistoryGenerator.bridge(sc, HistoryGenerator.POLICY_CHANGE_DAY - 10);
    assertThat(bridge).hasSize(15).allMatch(r -> r.policies().size() == 1 && r.policies().get(0).version().equals("self_harm@2"));
    String html = Dashboard.render("demo.duckdb", HistoryGenerator.generate(sc), Map.of(HistoryGenerator.BRIDGE_SERIES, bridge), "plumb test");
    assertThat(html).contains("Parallel series drawn beside the main one: backfill:self_harm@2.");
    // drawn (legend) on self_harm only
    int selfHarm = html.indexOf("id=\"p-self_harm\"");
    int harassment = html.indexOf("id=\"p-harassment\"");
    assertThat(html.substring(selfHarm, harassment)).contains(">backfill:self_harm@2</text>");
    assertThat(html.substring(harassment)).doesNotContain(">backfill:self_harm@2</text>");
  }

  @Test
  void should_mark_a_backfilled_series_measured_with_gold_reviewed_under_another_version() {
    Scenario sc = Scenario.standard(7);
    List<RunRecord> bridge = HistoryGenerator.bridge(sc, HistoryGenerator.POLICY_CHANGE_DAY - 10).stream()
        .map(r -> {
          RunRecord.PolicyResult p = r.policies().get(0);
          return new RunRecord(r.series(), r.period(), r.recordedAt(), r.provenance(), List.of(new RunRecord.PolicyResult(
              p.policy(), p.version(), p.recommended(), p.signoff(), p.quality(), p.sizes(), p.estimates(),
              new RunRecord.GoldReuse("self_harm@3", p.sizes().gold()))));
        }).toList();
    int gold = bridge.stream().mapToInt(r -> r.policies().get(0).sizes().gold()).sum();

    String html = Dashboard.render("demo.duckdb", HistoryGenerator.generate(sc), Map.of(HistoryGenerator.BRIDGE_SERIES, bridge),
        "plumb test");

    String card = html.substring(html.indexOf("id=\"p-self_harm\""), html.indexOf("id=\"p-harassment\""));
    assertThat(card).contains(">backfill:self_harm@2 \u2691 reused gold</text>")
        .contains("<p class=\"small reuse\"><b>\u2691 reused gold</b> backfill:self_harm@2: gold reviewed under self_harm@3 "
            + "reused for self_harm@2 in 15 of 15 periods (" + String.format(java.util.Locale.ROOT, "%,d", gold) + " of "
            + String.format(java.util.Locale.ROOT, "%,d", gold) + " gold units; decision definitions unchanged)</p>");
    assertThat(html.substring(html.indexOf("id=\"p-harassment\""))).doesNotContain("reused gold");
  }

  /** Issue 18: the demo's one-period history drew 3-pixel dots, no interval, empty surface panels, no LLM-only. */
  @Test
  void should_draw_one_period_as_a_labelled_point_with_an_interval_bar_and_the_llm_only_dash() throws Exception {
    List<RunRecord> runs = HistoryGenerator.generate(Scenario.standard(7)).subList(0, 1);
    String html = Dashboard.render("demo.duckdb", runs, Map.of(), "plumb test");

    assertThat(html).contains("1 daily run, 2026-10-02 · 4 policies · demo.duckdb")
        .contains("One period: no trend yet. Each chart shows every period's estimate as a point with its 95% interval as a bar"
            + " and the LLM-only estimate as a grey dash; lines and bands appear from 4 periods.");
    String card = html.substring(html.indexOf("id=\"p-self_harm\""), html.indexOf("id=\"p-harassment\""));
    List<String> svgs = svgs(card);
    assertThat(svgs).hasSize(5); // main chart, three surfaces, quality trend
    for (String svg : svgs) {
      // every chart shows something: a point of at least 5 px radius, with its interval bar
      assertThat(svg).contains("class=\"point\"", "r=\"5\"", "<g class=\"interval\">");
    }
    String main = svgs.get(0);
    RunRecord.PolicyResult p = runs.get(0).policy("self_harm").orElseThrow();
    RunRecord.EstimateRow headline = p.headline(RunRecord.EstimateRow.ALL).orElseThrow();
    // the headline's value written beside its point, and the LLM-only estimate as a dash in its own colour
    assertThat(main).contains(">" + dev.plumb.core.Numbers.percent(headline.estimate(), 3) + "</text>")
        .contains("<line class=\"mark\"", "stroke=\"" + Dashboard.LLM + "\"");
    // the interval bar spans lower to upper: visibly taller than the point
    Matcher bar = Pattern.compile("<g class=\"interval\"><rect x=\"[\\d.]+\" y=\"([\\d.]+)\" width=\"18\" height=\"([\\d.]+)\"")
        .matcher(main);
    assertThat(bar.find()).isTrue();
    assertThat(Double.parseDouble(bar.group(2))).isGreaterThan(10);
    // the single period sits in the middle of the plot, not on the y axis
    Matcher point = Pattern.compile("<circle class=\"point\" cx=\"([\\d.]+)\"").matcher(main);
    assertThat(point.find()).isTrue();
    assertThat(Double.parseDouble(point.group(1))).isBetween(500.0, 650.0);
  }

  @Test
  void should_draw_two_and_three_periods_as_points_and_bars_and_longer_series_as_lines_and_bands() throws Exception {
    List<RunRecord> all = HistoryGenerator.generate(Scenario.standard(7));
    for (int n : new int[] {2, 3}) {
      String html = Dashboard.render("demo.duckdb", all.subList(0, n), Map.of(), "plumb test");
      assertThat(html).contains(n + " periods: too few for a trend");
      String main = svgs(html.substring(html.indexOf("id=\"p-self_harm\""))).get(0);
      assertThat(Pattern.compile("class=\"point\"").matcher(main).results().count()).isEqualTo(n);
      assertThat(Pattern.compile("<g class=\"interval\">").matcher(main).results().count()).isEqualTo(n);
    }
    String html = Dashboard.render("demo.duckdb", all.subList(0, 4), Map.of(), "plumb test");
    assertThat(html).doesNotContain("class=\"point\"", "<g class=\"interval\">", "too few for a trend");
  }

  private static List<String> svgs(String html) throws Exception {
    Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(m.group())));
      out.add(m.group());
    }
    return out;
  }
}
