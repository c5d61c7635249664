/**
 * A seeded synthetic history for demos and checks, never recorded from a real run: {@link
 * dev.plumb.history.synthetic.HistoryGenerator} builds daily {@link dev.plumb.history.RunRecord}s
 * with scripted changes and outages (docs/history.md).
 */
package dev.plumb.history.synthetic;
