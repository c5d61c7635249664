#!/usr/bin/env bash
# Token cost per unit of each model profile (docs/labeler.md, "Model profiles") next to plumb's
# unified prompt, from `plumb label --dry-run --json` (nothing is sent, no key needed):
#   plumb               one request per unit for all policies (the unified prompt)
#   llama-guard         one request per unit, the policies as categories S1..Sn
#   llama-guard+scores  one request per unit and policy (a score per policy needs its own request)
#   shieldgemma         one request per unit and policy
#   gpt-oss-safeguard   one request per unit and policy (the policy as the system message)
# Every profile is counted with one tokenizer (o200k_base, gpt-oss's; Llama and Gemma tokenizers
# differ by some percent) so that the prompts' shapes compare.
# Price: a self-hosted-style rate of $0.075 / $0.30 per 1M tokens in / out (safeguard-20b hosted,
# issue 19), cached input at half, batch at half of both, the same for every profile. Columns: the
# prompt alone at list price, then the expected cost per 1,000 units — answers at each profile's
# expected length (the dry run's default per profile, docs/labeler.md "Cost, budget and dry run") —
# at list price, with the expected prompt caching plumb asks for (each request group's own shared
# system message: gpt-oss-safeguard caches each policy's), and at batch rates.
# Sample: the 1,000-unit priority sample of bench/label-cost.sh (fixtures/logs, seed 42), images off.
# Usage: bench/profile-cost.sh   (needs jq)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start profile-cost

bench_cost_sample
model=gpt-oss-safeguard-20b
echo "{\"models\":{\"$model\":{\"input\":0.075,\"cached_input\":0.0375,\"output\":0.3,\"batch\":{\"input\":0.0375,\"output\":0.15}}}}" > "$work/prices.json"

dry() { # extra args...
  ./plumb label --units "$work/sample.jsonl" --out "$work/none.jsonl" --model "$model" --base-url http://localhost:8000/v1 \
    --prices "$work/prices.json" --images off --dry-run --json "$@"
}

echo "sample: 1,000-unit priority sample of fixtures/logs (seed 42), 4 policies, images off; tokens: $model (o200k_base)"
printf '%-24s %8s %12s %8s %13s %9s %11s %20s\n' profile 'req/unit' 'prompt tok/u' 'prefixes' 'cacheable/req' 'out exp/u' 'prompt $/1k' 'expected $/1k l/c/b'
for p in plumb llama-guard llama-guard+scores shieldgemma gpt-oss-safeguard:low gpt-oss-safeguard gpt-oss-safeguard:high; do
  case "$p" in
    llama-guard+scores) j="$(dry --profile llama-guard --scores)" ;;
    *) j="$(dry --profile "$p")" ;;
  esac
  u="$(jq '.units' <<<"$j")"
  printf '%-24s %8.1f %12.0f %8d %13d %9.0f %11.3f %20s\n' "$p" "$(jq -n "$(jq '.requests' <<<"$j") / $u")" \
    "$(jq -n "$(jq '.tokens.input' <<<"$j") / $u")" "$(jq '.tokens.cache_prefixes' <<<"$j")" \
    "$(jq '.tokens.cacheable_prefix' <<<"$j")" "$(jq -n "$(jq '.tokens.output_expected' <<<"$j") / $u")" \
    "$(jq '.cost_usd.prompt.list' <<<"$j")" \
    "$(printf '%.3f / %.3f / %.3f' $(jq -r --argjson u "$u" \
        '[.cost_usd.expected.list, .cost_usd.expected.cached, .cost_usd.expected.batch] | map(. * 1000 / $u) | .[]' <<<"$j"))"
  echo "  $p expected output: $(jq -r '.output_expected_basis' <<<"$j")"
done
