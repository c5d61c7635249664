/**
 * Generators of synthetic data for the demo, benchmarks and tests, kept apart from the production
 * packages: {@link dev.plumb.calibration.synthetic.SyntheticFrame} (a seeded sampling frame with known
 * truth) and {@link dev.plumb.calibration.synthetic.QueueSimulation} (a seeded panel of raters
 * answering a review queue). Nothing in the measurement path depends on them.
 */
package dev.plumb.calibration.synthetic;
