#!/usr/bin/env bash
# Runs every test of the market. Installs and starts what the tests need (RabbitMQ from
# Debian's packages, bound to 127.0.0.1), stops what it started, and ends with one line:
#   N passed, N failed, N skipped
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
# ./test.sh containers: the containers stage alone (tests/containers/run.sh, docs/deploy.md)
[ "${1:-}" = containers ] && exec tests/containers/run.sh
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

log() { printf '[test.sh] %s\n' "$*" >&2; }

# --- RabbitMQ ------------------------------------------------------------------------------
export RABBITMQ_NODENAME="marketplace-test@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="${MARKETPLACE_TEST_RABBITMQ_PORT:-5672}"
export RABBITMQ_DIST_PORT=$((RABBITMQ_NODE_PORT + 20000))
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$results/rabbitmq/mnesia"
export RABBITMQ_LOG_BASE="$results/rabbitmq/log"
export RABBITMQ_ENABLED_PLUGINS_FILE="$results/rabbitmq/enabled_plugins"
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
started_rabbit=0
started_epmd=0

ensure_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      log "rabbitmq-server is missing and this is not root: install it (apt-get install rabbitmq-server) or set MARKETPLACE_TEST_RABBITMQ."
      return 1
    fi
    log "installing rabbitmq-server from Debian's packages"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server) >"$results/apt.log" 2>&1 \
      || { log "apt-get failed; see $results/apt.log"; return 1; }
    # the package may have started a system node (and its epmd) on all interfaces; ours run on loopback only
    (command -v service >/dev/null && service rabbitmq-server stop) >/dev/null 2>&1 || true
    epmd -kill >/dev/null 2>&1 || true
  fi
  # epmd outlives the node (or rabbitmqctl) that starts it: note whether one runs already, to stop ours afterwards
  epmd -names >/dev/null 2>&1 || started_epmd=1
  if rabbitmqctl -n "$RABBITMQ_NODENAME" status >/dev/null 2>&1; then
    log "using the RabbitMQ node $RABBITMQ_NODENAME that is already running"
    return 0
  fi
  mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  echo "[]." > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  # as root the server drops to the rabbitmq user, which must own its folders
  if [ "$(id -u)" -eq 0 ] && id rabbitmq >/dev/null 2>&1; then chown -R rabbitmq:rabbitmq "$results/rabbitmq"; fi
  log "starting RabbitMQ on 127.0.0.1:$RABBITMQ_NODE_PORT"
  rabbitmq-server -detached >"$results/rabbitmq/start.log" 2>&1 || true
  started_rabbit=1
  for _ in $(seq 1 90); do
    if rabbitmqctl -n "$RABBITMQ_NODENAME" await_startup >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  log "RabbitMQ did not start; see $results/rabbitmq"
  return 1
}

stop_rabbitmq() {
  if [ "$started_rabbit" = 1 ]; then
    log "stopping RabbitMQ"
    rabbitmqctl -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
    started_rabbit=0
  fi
  if [ "$started_epmd" = 1 ]; then
    # epmd refuses -kill while a node is still registered: the stopped node lets go a moment later
    for _ in $(seq 1 15); do
      epmd -names 2>/dev/null | grep -q "^name " || break
      sleep 1
    done
    epmd -kill >/dev/null 2>&1 || pkill -x epmd || true
    started_epmd=0
  fi
}
trap stop_rabbitmq EXIT

rabbit_ok=1
if [ -z "${MARKETPLACE_TEST_RABBITMQ:-}" ]; then
  if ensure_rabbitmq; then
    export MARKETPLACE_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$RABBITMQ_NODE_PORT/"
  else
    rabbit_ok=0
  fi
fi

# --- tools for the offline deployment checks ------------------------------------------------
# Debian's docker-compose validates the compose files without a Docker engine.
if ! command -v docker-compose >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  log "installing docker-compose from Debian's packages (offline validation of docker-compose.yml)"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose || \
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose)) >"$results/apt-compose.log" 2>&1 \
    || log "docker-compose could not be installed; its validation is skipped (see $results/apt-compose.log)"
fi

# the README's walkthrough is run as written: it needs curl, jq and openssl
if ! { command -v curl && command -v jq && command -v openssl; } >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  log "installing curl, jq and openssl from Debian's packages (the README walkthrough test)"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl jq openssl || \
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl jq openssl)) >"$results/apt-tools.log" 2>&1 \
    || log "curl/jq/openssl could not be installed (see $results/apt-tools.log)"
fi

# Debian's chromium (driven by Playwright through ExecutablePath) and CJK fonts for the portal's browser tests
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  if [ "$(id -u)" -eq 0 ]; then
    log "installing chromium and fonts-noto-cjk from Debian's packages (browser tests)"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk || \
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)) >"$results/apt-chromium.log" 2>&1 \
      || log "chromium could not be installed; the browser tests are skipped (see $results/apt-chromium.log)"
  else
    log "chromium or fonts-noto-cjk is missing and this is not root: the browser tests are skipped"
  fi
fi

# the Kubernetes schemas (kubernetes-models from npm) for validating the rendered manifests
if command -v npm >/dev/null 2>&1; then
  (cd tests/Marketplace.Deployment.Tests/k8s-schema && npm ci --no-audit --no-fund) >"$results/npm-k8s-schema.log" 2>&1 \
    || log "npm ci failed; the manifest schema validation is skipped (see $results/npm-k8s-schema.log)"
fi

# --- build and test -------------------------------------------------------------------------
log "building (Release)"
if ! dotnet build Marketplace.sln -c Release -warnaserror -nologo -v quiet >"$results/build.log" 2>&1; then
  cat "$results/build.log"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# passed, failed (errors included) and skipped (not executed) of one test run's .trx
counts() {
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$1" | head -1)
  attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  local total executed p f e
  total=$(attr total); executed=$(attr executed); p=$(attr passed); f=$(attr failed); e=$(attr error)
  echo "${p:-0} $(( ${f:-0} + ${e:-0} )) $(( ${total:-0} - ${executed:-0} ))"
}

status=0
for project in tests/*/; do
  name=$(basename "$project")
  [ -f "$project/$name.csproj" ] || continue
  grep -q '<IsTestProject>true</IsTestProject>' "$project/$name.csproj" || continue
  log "testing $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1800000 \
    >"$results/$name.log" 2>&1 || status=1
  grep -E "^\s+Skipped " "$results/$name.log" >&2 || true
  # each failure whole (message, stack, the processes' logs a test attached), up to the next test's result
  awk '/^[[:space:]]+Failed /{on=1; n=0} /^[[:space:]]+(Passed|Skipped) /{on=0} on && n++ < 400' "$results/$name.log" | head -2000 >&2 || true
  if [ -f "$results/$name.trx" ]; then
    read -r p f k < <(counts "$results/$name.trx")
    log "$name: $p passed, $f failed, $k skipped"
  else
    log "$name produced no results"; status=1; echo "$name" >>"$results/crashed"
  fi
done

# the containers stage (root only: podman runs rootful; docs/deploy.md, "The containers stage"): one
# entry in the count, passed, failed or skipped. MARKETPLACE_TEST_CONTAINERS=0 leaves it out of the full run
containers=skipped
if [ "$(id -u)" -eq 0 ] && [ "${MARKETPLACE_TEST_CONTAINERS:-1}" != 0 ]; then
  log "the containers stage (tests/containers/run.sh)"
  if tests/containers/run.sh >"$results/containers-stage.log" 2>&1; then
    containers=passed
    tail -1 "$results/containers-stage.log" >&2
  else
    containers=failed; status=1
    # what a failure leaves for whoever reads this run: the stage's log, the ends of the flows' traces, the services' warnings
    tail -40 "$results/containers-stage.log" >&2
    for trace in "$results"/containers/{compose,k8s}-flows/walkthrough.trace; do
      [ -f "$trace" ] && { echo "== $trace" >&2; tail -30 "$trace" >&2; }
    done
    grep -h '"LogLevel":"\(Warning\|Error\|Critical\)"' "$results"/containers/{compose,k8s}-logs/*.log 2>/dev/null | grep -v 'DataProtection\|HTTP_PORTS' | cut -c1-400 | tail -40 >&2 || true
  fi
else
  log "the containers stage is skipped: it needs root (and not MARKETPLACE_TEST_CONTAINERS=0)"
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  read -r p f k < <(counts "$trx")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
done
case "$containers" in passed) passed=$((passed + 1)) ;; failed) failed=$((failed + 1)) ;; *) skipped=$((skipped + 1)) ;; esac
[ -f "$results/crashed" ] && failed=$((failed + $(wc -l <"$results/crashed")))
[ "$rabbit_ok" = 0 ] && { log "RabbitMQ was unavailable: the end-to-end tests were skipped"; failed=$((failed + 1)); }
[ "$failed" -gt 0 ] && status=1
stop_rabbitmq
trap - EXIT
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
