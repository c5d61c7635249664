/**
 * Statistics for prevalence measurement: sampling designs, design-based estimators, human review,
 * agreement and corrected prevalence. Reads sample, label and gold records (docs/formats.md); knows
 * nothing about LLMs, prompts or HTTP, so a statistician can use it alone.
 */
package dev.plumb.calibration;
