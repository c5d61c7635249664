/**
 * Builds measurement units (docs/formats.md) from logging tables with an embedded engine, and
 * generates synthetic logs for demos and tests (docs/units.md).
 *
 * <p>Entry points: {@link dev.plumb.units.UnitsConfig#read} reads a {@code units.yaml};
 * {@link dev.plumb.units.UnitBuilder#build} assembles the units with DuckDB and counts the data
 * problems; {@link dev.plumb.units.BuiltUnit} is the one JSON writer every engine (DuckDB here, the
 * Spark job elsewhere) uses, so equal units are equal bytes. The synthetic-log generator (demos
 * and tests only) lives apart, in {@link dev.plumb.units.synthetic}.
 */
package dev.plumb.units;
