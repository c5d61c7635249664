/**
 * The {@code local} backend: an offline classifier that needs no network and no key. Texts are
 * embedded in-process with the quantized all-MiniLM-L6-v2 sentence encoder (shipped inside a Maven
 * jar); per policy, an ensemble of L2-regularised logistic regressions (one per penalty of a fixed
 * grid) on the 384-dimensional embeddings is
 * trained on the policy's examples (and optionally a labeled file), with Platt-calibrated
 * probabilities fitted on cross-validation folds. Entry points: {@link
 * dev.plumb.labeler.local.LocalClassifier} (classify or score units) and {@link
 * dev.plumb.labeler.local.FrameScorer} ({@code plumb score}). See docs/local-backend.md.
 */
package dev.plumb.labeler.local;
