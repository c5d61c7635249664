/**
 * Reports of a calibration: the sign-off rules and verdicts, the report model written to
 * {@code report.json}, and its Markdown and self-contained HTML renderings (docs/report.md).
 *
 * <p>{@link dev.plumb.calibration.report.Html} and {@link dev.plumb.calibration.report.Charts} are
 * the reusable rendering primitives (escaped fragments, tables, badges, inline SVG charts) for any
 * offline HTML page plumb writes, e.g. the history dashboard.
 */
package dev.plumb.calibration.report;
