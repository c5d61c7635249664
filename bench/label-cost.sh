#!/usr/bin/env bash
# Labeling cost per 1,000 units: naive vs plumb's unified prompt, with prompt caching and at batch rates.
# Every figure is a `plumb label --dry-run --json` on the same sample (nothing is sent, no key needed):
#   naive   one request per unit x policy, each policy's prompt alone, no cache, synchronous
#           = the sum over the policies of the single-policy dry runs' list figure
#   plumb   the unified prompt (one request per unit, all policies) at list price,
#           with expected prompt caching (plumb's default), and at Batch API rates
# "at cap" puts every answer at the output cap (what a budget must allow); "expected" puts them at
# the dry run's expected length (the previous run's output per request when one exists, else
# 5 + 55 tokens per policy); the "prompt" columns leave the answers out (the part the prompt's
# shape, caching and batching change). Ratios are against naive's figure of the same kind.
# Sample: a 1,000-unit priority sample (seed 42) of the units built from fixtures/logs, images off.
# Usage: bench/label-cost.sh [MODEL ...]
#   (default: gpt-4.1-mini gpt-5-mini claude-haiku-4-5 gemini-2.5-flash; needs jq)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start label-cost
policies=(adult_sexual harassment misinformation self_harm)

bench_cost_sample

models=("$@")
[ ${#models[@]} -gt 0 ] || models=(gpt-4.1-mini gpt-5-mini claude-haiku-4-5 gemini-2.5-flash)

dry() { # model, extra args...
  local m="$1"; shift
  local backend=(--model "$m")
  case "$m" in
    claude-*) backend=(--backend langchain4j --provider anthropic --model "$m") ;;
    gemini-*) backend=(--backend langchain4j --provider gemini --model "$m") ;;
  esac
  ./plumb label --units "$work/sample.jsonl" --out "$work/none.jsonl" "${backend[@]}" --images off \
    --dry-run --json "$@"
}

echo "sample: 1,000-unit priority sample of fixtures/logs (seed 42), ${#policies[@]} policies, images off"
printf '%-18s %-34s %9s %6s %9s %6s %9s %6s\n' model approach 'at cap' ratio expected ratio 'prompt $' ratio
for m in "${models[@]}"; do
  naive=0; naive_exp=0; naive_prompt=0
  for p in "${policies[@]}"; do
    j="$(dry "$m" --policy "$p" --no-prompt-cache)"
    naive="$(jq -n "$naive + $(jq '.cost_usd.list' <<<"$j")")"
    naive_exp="$(jq -n "$naive_exp + $(jq '.cost_usd.expected.list' <<<"$j")")"
    naive_prompt="$(jq -n "$naive_prompt + $(jq '.cost_usd.prompt.list' <<<"$j")")"
  done
  j="$(dry "$m")"
  row() { # label, at cap, expected, prompt
    printf '%-18s %-34s %9.2f %5.2fx %9.2f %5.2fx %9.2f %5.2fx\n' "$m" "$1" "$2" "$(jq -n "$2 / $naive")" \
      "$3" "$(jq -n "$3 / $naive_exp")" "$4" "$(jq -n "$4 / $naive_prompt")"
  }
  row "naive (per policy, no cache)" "$naive" "$naive_exp" "$naive_prompt"
  row "plumb, list price" "$(jq '.cost_usd.list' <<<"$j")" "$(jq '.cost_usd.expected.list' <<<"$j")" \
    "$(jq '.cost_usd.prompt.list' <<<"$j")"
  row "plumb + prompt caching (default)" "$(jq '.cost_usd.cached' <<<"$j")" "$(jq '.cost_usd.expected.cached' <<<"$j")" \
    "$(jq '.cost_usd.prompt.cached' <<<"$j")"
  row "plumb + caching + batch" "$(jq '.cost_usd.batch' <<<"$j")" "$(jq '.cost_usd.expected.batch' <<<"$j")" \
    "$(jq '.cost_usd.prompt.batch' <<<"$j")"
  jq -c '{tokenizer, tokens, cache_hit_rate, output_expected_basis}' <<<"$j"
done
