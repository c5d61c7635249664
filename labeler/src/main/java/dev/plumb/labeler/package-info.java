/**
 * Turns (policies, units) into labels: the policy model and compiler, prompt rendering, LLM
 * backends and the batch labeler. Knows nothing about sampling or estimation.
 */
package dev.plumb.labeler;
