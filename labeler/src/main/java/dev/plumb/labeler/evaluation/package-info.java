/**
 * Prompt regression tests ({@code plumb prompt test}, docs/prompt-test.md): run a policy's examples
 * and a golden set through a backend with the batch labeler, score the answers, and compare two
 * versions (policies, prompt templates or models) example by example.
 */
package dev.plumb.labeler.evaluation;
