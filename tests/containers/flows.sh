#!/usr/bin/env bash
# The flows the containers stage runs through the gateway at $1 (http://127.0.0.1:PORT), in a scratch
# folder $2. The API flows are the README's walkthrough as written (the same five snippets the
# README walkthrough test runs against the embedded market), split where one flow ends; the last is
# the portal's sign-in form. Prints "flow NAME: passed" or "flow NAME: FAILED" per flow, and at the
# end the number that passed; exits non-zero when any failed.
set -uo pipefail
url=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
readme="$here/../../README.md"
mkdir -p "$work"
cd "$work"

# the walkthrough's bash blocks, from "A first listing" to the certificate's explanation
awk '/^A first listing, from the shell/{on=1} /^The certificate.s `document`/{on=0} on' "$readme" \
  | awk '/^```bash$/{n++; f=sprintf("block%d.sh", n); next} /^```$/{f=""; next} f{print > f}'
[ -f block5.sh ] && [ ! -f block6.sh ] || { echo "the README's walkthrough no longer has its five snippets"; exit 1; }
sed -i "s|^M=http://localhost:8080$|M=$url|" block1.sh
grep -q "^M=$url$" block1.sh || { echo "the walkthrough no longer sets M=http://localhost:8080"; exit 1; }

passed=0
failed=0
# One shell runs the snippets, as the README says (each follows on from the one before it); after each
# flow's snippets it prints a mark. A flow passed when its mark is reached and its part of the output
# holds every expected piece. (The fourth snippet, an introduction, is the README walkthrough test's.)
{
  echo "set -euo pipefail -x"
  cat block1.sh block2.sh; echo 'echo; echo "@@ listing-and-search"'
  cat block3.sh; echo 'echo; echo "@@ demand-to-broker-lead"'
  cat block5.sh; echo 'echo; echo "@@ contract-certificate"'
} >walkthrough.sh
timeout 300 bash walkthrough.sh >walkthrough.log 2>walkthrough.trace
check() { # name expected...
  local name=$1; shift
  local part ok=1
  part=$(awk -v mark="@@ $name" '$0 == mark {found=1; exit} {print} END {exit !found}' walkthrough.log) || { ok=0; part="(the walkthrough stopped before the end of this flow)"; }
  for e in "$@"; do grep -qF -- "$e" <<<"$part" || ok=0; done
  if [ "$ok" = 1 ]; then passed=$((passed + 1)); echo "flow $name: passed"
  else failed=$((failed + 1)); echo "flow $name: FAILED (expected $*)"; tail -15 <<<"$part" | sed 's/^/    /'; fi
  sed -i "1,/^@@ $name\$/d" walkthrough.log 2>/dev/null || true
}
cp walkthrough.log walkthrough.full.log
check listing-and-search '"published"' '"高镍三元锂电池正极材料制备技术"'
check demand-to-broker-lead '"contacted"'
check contract-certificate '"valid"' 'Verified OK' 'downloaded.pdf: OK'

# the portal: the sign-in form (antiforgery token from the page, the cookie it sets) and a page that
# needs a signed-in user
portal() {
  local jar=portal.cookies page token status location
  rm -f "$jar"
  page=$(curl -sf -c "$jar" -b "$jar" "$url/signin") || { echo "GET /signin failed"; return 1; }
  token=$(grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' <<<"$page" | sed 's/.*value="\([^"]*\)"/\1/' | head -1)
  [ -n "$token" ] || { echo "no antiforgery token on /signin"; return 1; }
  read -r status location < <(curl -s -o /dev/null -w '%{http_code} %{redirect_url}\n' -c "$jar" -b "$jar" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode username=demo-enterprise \
    --data-urlencode 'password=Demo!2026' --data-urlencode returnUrl=/my/listings "$url/portal/signin")
  echo "POST /portal/signin: $status $location"
  [ "$status" = 302 ] && [ "${location%/my/listings}" != "$location" ] || return 1
  grep -q 'xxkj.session' "$jar" || { echo "no session cookie"; return 1; }
  # signed in, the page renders for the user; signed out, it sends the visitor to the sign-in page
  page=$(curl -sf -b "$jar" "$url/my/listings") || { echo "GET /my/listings failed"; return 1; }
  grep -q '退出\|demo-enterprise\|长沙示范智造' <<<"$page" || { echo "/my/listings does not show the signed-in user"; return 1; }
  echo "signed in as demo-enterprise"
}
if portal >portal-signin.log 2>&1; then passed=$((passed + 1)); echo "flow portal-signin: passed"
else failed=$((failed + 1)); echo "flow portal-signin: FAILED"; sed 's/^/    /' portal-signin.log; fi

echo "flows passed: $passed"
[ "$failed" = 0 ]
