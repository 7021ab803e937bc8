#!/usr/bin/env bash
# Lighthouse 12.2.3 (npm) over the portal's public pages, mobile and desktop, with Debian's chromium:
# accessibility, best practices and SEO, one line per page and form factor, and the failing audits.
# Run the market first (README: `dotnet run --project gateway/Marketplace.Gateway`, a fresh data directory)
# and publish a listing (the README walkthrough's first block); M names the market (default localhost:8080).
set -euo pipefail
M=${M:-http://localhost:8080}
tools=${LIGHTHOUSE_DIR:-/tmp/xxm-lighthouse}
[ -x "$tools/node_modules/.bin/lighthouse" ] || npm install --prefix "$tools" --silent lighthouse@12.2.3
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
id=$(curl -sf "$M/api/listings?pageSize=1" | jq -r '.items[0].id // empty')
[ -n "$id" ] || { echo "no published listing at $M: publish one first (README walkthrough, first block)" >&2; exit 2; }
pages=("/" "/search?q=%E9%94%82%E7%94%B5%E6%B1%A0" "/listings/$id" "/brokers" "/verify" "/signin")
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
for form in mobile desktop; do
  for page in "${pages[@]}"; do
    preset=(); [ "$form" = desktop ] && preset=(--preset=desktop)
    out="$results/report.json"
    timeout 180 "$tools/node_modules/.bin/lighthouse" "$M$page" "${preset[@]}" --quiet \
      --chrome-flags="--headless=new --no-sandbox" --only-categories=accessibility,best-practices,seo \
      --output=json --output-path="$out" > /dev/null 2>&1
    jq -r --arg form "$form" --arg page "$page" '"\($form) \($page): accessibility \(.categories.accessibility.score*100|round), best practices \(.categories["best-practices"].score*100|round), SEO \(.categories.seo.score*100|round)" +
      ([.audits[] | select(.score != null and .score < 1 and (.scoreDisplayMode == "binary" or .scoreDisplayMode == "numeric")) | .id] | if length > 0 then "; failing: " + join(", ") else "" end)' "$out"
  done
done
