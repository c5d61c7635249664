package dev.plumb.calibration.report;

import java.util.List;

/**
 * Small building blocks for self-contained HTML pages: escaping, number formatting, tables,
 * badges and a page shell with the inline stylesheet ({@link #STYLE}). Every method returns an
 * HTML fragment; arguments named {@code text} are escaped, arguments named {@code html} are
 * inserted as they are. No method emits a URL, script or external resource, so a page built
 * from them opens offline. Stateless and thread-safe.
 */
public final class Html {
  private Html() {}

  /** How a badge or a value should read: good news, a caution, a failure, or neither. */
  public enum Tone {
    GOOD("good"), WARN("warn"), BAD("bad"), NEUTRAL("neutral");

    private final String css;

    Tone(String css) {
      this.css = css;
    }

    /** The CSS class suffix, e.g. {@code good}. */
    public String css() {
      return css;
    }
  }

  /** The stylesheet every page embeds; classes used by this package's fragments. */
  public static final String STYLE = """
      :root{--ink:#1d2733;--muted:#5b6776;--line:#dde3ea;--soft:#f4f6f9;--accent:#1f5fa8;
      --good:#1b7f4b;--good-bg:#e3f4ea;--warn:#8a5a00;--warn-bg:#fdf1d6;--bad:#b42318;--bad-bg:#fde7e5}
      *{box-sizing:border-box}
      body{margin:0;background:#eef1f5;color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",
      Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-print-color-adjust:exact;print-color-adjust:exact}
      main{max-width:1180px;margin:0 auto;padding:28px 28px 60px}
      header.top{background:#14212f;color:#fff;padding:26px 0 22px}
      header.top .inner{max-width:1180px;margin:0 auto;padding:0 28px}
      header.top h1{margin:0 0 4px;font-size:24px;font-weight:600;letter-spacing:-.01em}
      header.top p{margin:0;color:#b9c6d4}
      h2{font-size:19px;margin:0 0 12px;font-weight:600}
      h3{font-size:15px;margin:22px 0 8px;font-weight:600}
      h4{font-size:13px;margin:16px 0 6px;font-weight:600;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
      section.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:22px 24px;margin:18px 0;
      box-shadow:0 1px 2px rgba(20,33,47,.04)}
      .muted{color:var(--muted)} .small{font-size:12px} .mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
      table{border-collapse:collapse;width:100%;margin:6px 0 4px;font-size:13px}
      th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
      th{font-weight:600;color:var(--muted);font-size:12px;background:var(--soft)}
      td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      tr.hl td{background:#eef4fc;font-weight:600}
      .badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:700;letter-spacing:.04em}
      .badge.good{background:var(--good-bg);color:var(--good)} .badge.warn{background:var(--warn-bg);color:var(--warn)}
      .badge.bad{background:var(--bad-bg);color:var(--bad)} .badge.neutral{background:var(--soft);color:var(--muted)}
      .tone-good{color:var(--good)} .tone-warn{color:var(--warn)} .tone-bad{color:var(--bad)}
      .kpis{display:flex;gap:14px;flex-wrap:wrap;margin:4px 0 14px}
      .kpi{flex:1 1 150px;background:var(--soft);border-radius:8px;padding:10px 14px}
      .kpi .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
      .kpi .l{font-size:12px;color:var(--muted)}
      .headline{display:flex;align-items:baseline;gap:16px;flex-wrap:wrap;margin:2px 0 10px}
      .headline .big{font-size:34px;font-weight:700;letter-spacing:-.02em;font-variant-numeric:tabular-nums}
      .headline .ci{font-size:16px;color:var(--muted)}
      .grid2{display:grid;grid-template-columns:1fr 1fr;gap:22px}
      @media(max-width:900px){.grid2{grid-template-columns:1fr}}
      ul.reasons{margin:6px 0 0;padding-left:18px} ul.reasons li{margin:2px 0}
      .note{background:var(--soft);border-left:3px solid var(--accent);padding:8px 12px;border-radius:4px;margin:10px 0}
      table.cm td.cell,table.cm thead th{text-align:center;font-variant-numeric:tabular-nums}
      svg{display:block;max-width:100%;height:auto}
      svg text{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
      nav.toc a{color:var(--accent);text-decoration:none;margin-right:14px}
      footer{color:var(--muted);font-size:12px;text-align:center;margin-top:30px}
      """;

  /** Escapes {@code &, <, >, ", '} for text and attribute values; {@code null} becomes empty. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * A complete HTML5 document: {@code title} in the head and a dark header band with {@code
   * subtitle}, then {@code bodyHtml} inside {@code <main>}, styled by {@link #STYLE} plus {@code
   * extraCss} (may be empty).
   */
  public static String page(String title, String subtitle, String bodyHtml, String extraCss) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + extraCss + "</style>\n</head>\n<body>\n"
        + "<header class=\"top\"><div class=\"inner\"><h1>" + escape(title) + "</h1><p>" + escape(subtitle)
        + "</p></div></header>\n<main>\n" + bodyHtml + "</main>\n</body>\n</html>\n";
  }

  /** {@code <section class="card" id="id">} around {@code html}; {@code id} may be null. */
  public static String card(String id, String html) {
    return "<section class=\"card\"" + (id == null ? "" : " id=\"" + escape(id) + "\"") + ">\n" + html + "</section>\n";
  }

  /** A pill with {@code text} coloured by {@code tone}. */
  public static String badge(String text, Tone tone) {
    return "<span class=\"badge " + tone.css() + "\">" + escape(text) + "</span>";
  }

  /** A tile with a large value and a small label below it. */
  public static String kpi(String valueText, String labelText) {
    return "<div class=\"kpi\"><div class=\"v\">" + escape(valueText) + "</div><div class=\"l\">" + escape(labelText)
        + "</div></div>";
  }

  /** A table cell: right-aligned when {@code numeric}. */
  public record Cell(String html, boolean numeric) {
    /** A text cell (escaped). */
    public static Cell text(String text) {
      return new Cell(escape(text), false);
    }

    /** A numeric cell (escaped, right-aligned). */
    public static Cell num(String text) {
      return new Cell(escape(text), true);
    }

    /** A cell whose content is already HTML. */
    public static Cell html(String html) {
      return new Cell(html, false);
    }
  }

  /** One table row; {@code highlight} sets it off (e.g. the recommended estimator). */
  public record Row(List<Cell> cells, boolean highlight) {
    public Row {
      cells = List.copyOf(cells);
    }

    public static Row of(Cell... cells) {
      return new Row(List.of(cells), false);
    }
  }

  /**
   * A table. A header is right-aligned when the first row's cell in that column is numeric; when
   * every header is empty the table has no header row.
   *
   * @param cssClass extra class of the table, or empty
   */
  public static String table(List<String> headers, List<Row> rows, String cssClass) {
    StringBuilder out = new StringBuilder("<table" + (cssClass.isEmpty() ? "" : " class=\"" + escape(cssClass) + "\"") + ">\n");
    if (headers.stream().anyMatch(h -> !h.isEmpty())) {
      out.append("<thead><tr>");
      for (int c = 0; c < headers.size(); c++) {
        boolean numeric = !rows.isEmpty() && c < rows.get(0).cells().size() && rows.get(0).cells().get(c).numeric();
        out.append(numeric ? "<th class=\"num\">" : "<th>").append(escape(headers.get(c))).append("</th>");
      }
      out.append("</tr></thead>\n");
    }
    out.append("<tbody>\n");
    for (Row row : rows) {
      out.append(row.highlight() ? "<tr class=\"hl\">" : "<tr>");
      for (Cell cell : row.cells()) {
        out.append(cell.numeric() ? "<td class=\"num\">" : "<td>").append(cell.html()).append("</td>");
      }
      out.append("</tr>\n");
    }
    return out.append("</tbody>\n</table>\n").toString();
  }
}
