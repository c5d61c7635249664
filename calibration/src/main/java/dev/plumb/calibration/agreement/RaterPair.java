package dev.plumb.calibration.agreement;

/** Cohen's κ between two raters on the units both rated. */
public record RaterPair(String a, String b, Kappa kappa) {}
