/**
 * Builds measurement units (docs/formats.md) from logging tables with an embedded engine, and
 * generates synthetic logs for demos and tests.
 */
package dev.plumb.units;
