#!/usr/bin/env bash
# Token cost per unit of each model profile (docs/labeler.md, "Model profiles") next to plumb's
# unified prompt, from `plumb label --dry-run --json` (nothing is sent, no key needed):
#   plumb               one request per unit for all policies (the unified prompt)
#   llama-guard         one request per unit, the policies as categories S1..Sn
#   llama-guard+scores  one request per unit and policy (a score per policy needs its own request)
#   shieldgemma         one request per unit and policy
#   gpt-oss-safeguard   one request per unit and policy (the policy as the system message)
# Every profile is counted with one tokenizer (o200k_base, gpt-oss's; Llama and Gemma tokenizers
# differ by some percent) so that the prompts' shapes compare; output is at each profile's cap.
# Price: a self-hosted-style rate of $0.075 / $0.30 per 1M tokens in / out (safeguard-20b hosted,
# issue 19), the same for every profile: the prompt alone at list price, and everything (answers at
# the cap) with the expected prompt caching plumb asks for (the dry run counts the first request's
# leading system message as the shared prefix: for gpt-oss-safeguard that is one policy's of four).
# Sample: the 1,000-unit priority sample of bench/label-cost.sh (fixtures/logs, seed 42), images off.
# Usage: bench/profile-cost.sh   (needs jq)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start profile-cost

./plumb units build --config fixtures/logs/units.yaml --out "$work/units.jsonl" >/dev/null 2>&1
cat > "$work/design.yaml" <<'YAML'
type: priority
n: 1000
size: weight * max(score(adult_sexual), score(harassment), score(misinformation), score(self_harm))
floor: 0.05
YAML
./plumb sample --frame "$work/units.jsonl" --design "$work/design.yaml" --out "$work/sample.jsonl" --seed 42 >/dev/null 2>&1
model=gpt-oss-safeguard-20b
echo "{\"models\":{\"$model\":{\"input\":0.075,\"cached_input\":0.0375,\"output\":0.3}}}" > "$work/prices.json"

dry() { # extra args...
  ./plumb label --units "$work/sample.jsonl" --out "$work/none.jsonl" --model "$model" --base-url http://localhost:8000/v1 \
    --prices "$work/prices.json" --images off --dry-run --json "$@"
}

echo "sample: 1,000-unit priority sample of fixtures/logs (seed 42), 4 policies, images off; tokens: $model (o200k_base)"
printf '%-20s %9s %13s %14s %10s %13s %12s\n' profile 'req/unit' 'prompt tok/u' 'cacheable pfx' 'out cap/u' 'prompt $/1k' '$/1k cached'
for p in plumb llama-guard llama-guard+scores shieldgemma gpt-oss-safeguard; do
  case "$p" in
    llama-guard+scores) j="$(dry --profile llama-guard --scores)" ;;
    *) j="$(dry --profile "$p")" ;;
  esac
  u="$(jq '.units' <<<"$j")"
  printf '%-20s %9.1f %13.0f %14d %10.0f %13.3f %12.2f\n' "$p" "$(jq -n "$(jq '.requests' <<<"$j") / $u")" \
    "$(jq -n "$(jq '.tokens.input' <<<"$j") / $u")" "$(jq '.tokens.cacheable_prefix' <<<"$j")" \
    "$(jq -n "$(jq '.tokens.output_max' <<<"$j") / $u")" "$(jq '.cost_usd.prompt.list' <<<"$j")" \
    "$(jq '.cost_usd.cached' <<<"$j")"
done
