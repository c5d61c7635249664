/**
 * Synthetic logging tables for demos and tests, never read by a measurement: {@link
 * dev.plumb.units.synthetic.LogGenerator} writes seeded interactions, pins, components,
 * impressions and risk scores with their exposure-weighted ground truth (docs/units.md, "Synthetic
 * logs"); {@code Texts} and {@code Zipf} are its vocabulary and popularity draws.
 */
package dev.plumb.units.synthetic;
