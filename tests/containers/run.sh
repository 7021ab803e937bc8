#!/usr/bin/env bash
# The containers stage (./test.sh containers): the project's images built from its Dockerfiles and
# run for real with podman, first as docker-compose.yml describes them, then as the production
# Kubernetes overlay does. See docs/deploy.md ("The containers stage") for what it proves and what not.
#
#   1. installs podman, runc, netavark, debootstrap, docker-compose, curl, jq, openssl from Debian
#   2. makes stand-ins for Microsoft's base images from a debootstrap'd Debian (kept as a cache, never pushed)
#   3. builds the six images with the project's Dockerfiles unchanged, and RabbitMQ from Debian's package
#   4. runs the compose stack (LiteDB by configuration: no MongoDB image or package exists here) and
#      the flows through the gateway (tests/containers/flows.sh)
#   5. runs the rendered production Deployments as containers (tests/containers/k8s-run.sh) and the flows again
#   6. removes every container, network, volume and process it started
#
# Ends with one line:  containers: N images built, stack ready in N s, N flows passed, k8s-shaped run: N flows passed
# or, when it cannot run or a step fails:  containers: FAILED (the reason)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/TestResults/containers"
rm -rf "$out"
mkdir -p "$out"
export CONTAINERS_CONF="$here/containers.conf"
# every name this stage gives a container, network or volume starts with it (cleanup finds them by it)
export XXM_PREFIX=xxm-stage
started=$(date +%s)

log() { printf '[containers %s] %s\n' "$(date +%T)" "$*" >&2; }
fail() { log "$*"; echo "containers: FAILED ($*)"; exit 1; }

# --- 1. tools ---------------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || fail "not root: podman runs rootful here, and the tools come from apt-get"
tools=(podman runc netavark aardvark-dns slirp4netns debootstrap docker-compose curl jq openssl python3-yaml iproute2)
missing=()
for t in podman runc netavark debootstrap docker-compose curl jq openssl ss; do
  command -v "$t" >/dev/null 2>&1 || [ -x "/usr/lib/podman/$t" ] || missing+=("$t")
done
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${tools[*]} from Debian's packages"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tools[@]}" \
    || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tools[@]}")) >"$out/apt.log" 2>&1 \
    || fail "apt-get could not install ${tools[*]} (see $out/apt.log)"
fi
# kubectl's kustomize renders the overlay (as for the Deployment tests); Debian has no package of it
command -v kubectl >/dev/null 2>&1 || fail "kubectl is not installed: the Kubernetes-shaped run renders k8s/overlays/production with kubectl kustomize"
podman info >"$out/podman-info.txt" 2>&1 || fail "podman cannot run here: $(tail -1 "$out/podman-info.txt")"

# --- 2. stand-in base images ------------------------------------------------------------------
# Microsoft's images (mcr.microsoft.com/dotnet/sdk and aspnet) cannot be pulled here. Stand-ins under
# the same names: Debian bookworm (debootstrap, minbase) with this machine's .NET copied in and the
# user app (uid 1654). They are labelled as stand-ins, reused while their inputs are the same, and
# never pushed: podman has no registry to push to here, and the stage pulls nothing (--pull=never).
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
local_cas=/usr/local/share/ca-certificates
base_inputs=$( { echo "bookworm minbase ca-certificates libicu72 libssl3 tzdata ${NUGET_CERT_REVOCATION_MODE:-online}"; cat "$here"/base/*
  ls "$dotnet_root/shared"/* "$dotnet_root/sdk"; cat "$local_cas"/*.crt 2>/dev/null || true; } | sha256sum | cut -c1-16)
label() { podman image inspect --format '{{index .Labels "xxm.stand-in.inputs"}}' "$1" 2>/dev/null || true; }
standin() { # name containerfile context
  podman build --pull=never --format docker -q -t "$1" -f "$2" --build-arg "NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}" \
    --label "xxm.stand-in.inputs=$base_inputs" \
    --label "org.opencontainers.image.description=a stand-in made by tests/containers/run.sh, not Microsoft's image; never pushed" \
    "$3" >>"$out/base-images.log" 2>&1
}
if [ "$(label mcr.microsoft.com/dotnet/aspnet:10.0)" = "$base_inputs" ] && [ "$(label mcr.microsoft.com/dotnet/sdk:10.0)" = "$base_inputs" ] \
  && [ "$(label localhost/xxm-rabbitmq:stage)" = "$base_inputs" ]; then
  log "stand-in base images are cached (inputs $base_inputs)"
else
  log "making the stand-in base images (debootstrap bookworm, then .NET from $dotnet_root)"
  # the debootstrap'd tree itself is kept as an image of its own, reused while its inputs are the same
  debootstrap_args=(--variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata bookworm)
  if [ "$(podman image inspect --format '{{index .Labels "xxm.debootstrap"}}' localhost/xxm-debootstrap:bookworm 2>/dev/null)" != "${debootstrap_args[*]}" ]; then
    rootfs=$(mktemp -d /var/tmp/xxm-debootstrap.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap "${debootstrap_args[@]}" "$rootfs" http://deb.debian.org/debian >"$out/debootstrap.log" 2>&1 \
      || fail "debootstrap failed (see $out/debootstrap.log)"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' --change "LABEL xxm.debootstrap=\"${debootstrap_args[*]}\"" \
      - localhost/xxm-debootstrap:bookworm >>"$out/base-images.log" 2>&1 || fail "podman import failed (see $out/base-images.log)"
    rm -rf "$rootfs"; trap - EXIT
  fi
  context=$(mktemp -d /var/tmp/xxm-context.XXXXXX)
  mkdir "$context/ca-certificates" && cp "$local_cas"/*.crt "$context/ca-certificates/" 2>/dev/null || true
  standin localhost/xxm-debian:bookworm "$here/base/Containerfile.debian" "$context" || { rm -rf "$context"; fail "the Debian stand-in did not build (see $out/base-images.log)"; }
  rm -rf "$context"
  standin mcr.microsoft.com/dotnet/aspnet:10.0 "$here/base/Containerfile.aspnet" "$dotnet_root" || fail "the aspnet stand-in did not build (see $out/base-images.log)"
  standin mcr.microsoft.com/dotnet/sdk:10.0 "$here/base/Containerfile.sdk" "$dotnet_root" || fail "the sdk stand-in did not build (see $out/base-images.log)"
  standin localhost/xxm-rabbitmq:stage "$here/base/Containerfile.rabbitmq" "$here/base" || fail "the RabbitMQ image did not build (see $out/base-images.log)"
  log "stand-in base images made in $(( $(date +%s) - started )) s"
fi
[ "${XXM_ONLY_BASE:-}" = 1 ] && exit 0

# --- 3. the project's images ------------------------------------------------------------------
# The Dockerfiles as they are: --pull=never takes the stand-ins above for Microsoft's images, and the
# docker format keeps their HEALTHCHECK (the OCI format drops it). Six images: five services and the gateway.
build_started=$(date +%s)
images=0
build() { # image dockerfile [SERVICE]
  local args=()
  [ -n "${3:-}" ] && args=(--build-arg "SERVICE=$3")
  log "building $1"
  podman build --pull=never --format docker -t "$1" -f "$2" "${args[@]}" "$root" >"$out/build-${1##*/}.log" 2>&1 \
    || fail "$1 did not build (see $out/build-${1##*/}.log)"
  images=$((images + 1))
}
for service in Listing Matching Broker Registration Notifications; do
  build "xiaoxiang-market/${service,,}:latest" "$root/services/Dockerfile" "$service"
done
build xiaoxiang-market/gateway:latest "$root/gateway/Marketplace.Gateway/Dockerfile"
log "$images images built in $(( $(date +%s) - build_started )) s"
[ "${XXM_ONLY_IMAGES:-}" = 1 ] && exit 0

# --- cleanup: everything the stage starts is removed, whatever happens ------------------------
service_pid=""
compose_project=xxmstage
cleanup() {
  set +e
  if [ -n "${DOCKER_HOST:-}" ] && [ -f "$out/compose/.env" ]; then
    (cd "$out/compose" && timeout 120 docker-compose -p "$compose_project" --project-directory "$out/compose" \
      -f "$root/docker-compose.yml" -f "$here/compose.stage.yml" down -v --remove-orphans) >>"$out/cleanup.log" 2>&1
  fi
  # whatever is left: containers and pods by name or compose label, then networks and volumes
  podman ps -aq --filter "label=com.docker.compose.project=$compose_project" | xargs -r podman rm -f -t 5 >>"$out/cleanup.log" 2>&1
  podman ps -aq --filter "name=^$XXM_PREFIX" | xargs -r podman rm -f -t 5 >>"$out/cleanup.log" 2>&1
  podman network ls -q --filter "name=^($XXM_PREFIX|$compose_project)" | xargs -r podman network rm -f >>"$out/cleanup.log" 2>&1
  podman volume ls -q --filter "name=^($XXM_PREFIX|$compose_project)" | xargs -r podman volume rm -f >>"$out/cleanup.log" 2>&1
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null; wait "$service_pid" 2>/dev/null; fi
  rm -f "$out/podman.sock"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup   # a stage stopped half-way before leaves nothing behind for this one

# a free port on 127.0.0.1 for the gateway (the host's 5672, 5673 and 8080 are others')
# a port below the kernel's ephemeral range (32768–60999 on Debian): one from inside it, free when chosen, could be
# given to another process's connection or listener (port 0) before podman binds it, as happened once in a CI run
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(shuf -i 20000-32000 -n 1)
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return 0; }
  done
  return 1
}

# health: podman 4.3 runs a container's health check only when asked, so the stage asks, every few
# seconds, until each is healthy; then the gateway's readiness (every backend healthy) from the host
await_healthy() { # timeout container...
  local deadline=$(( $(date +%s) + $1 )); shift
  local waiting=("$@") still
  while [ "${#waiting[@]}" -gt 0 ]; do
    still=()
    for c in "${waiting[@]}"; do
      podman healthcheck run "$c" >/dev/null 2>&1 || still+=("$c")
    done
    waiting=("${still[@]}")
    [ "${#waiting[@]}" -eq 0 ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then log "not healthy in time: ${waiting[*]}"; return 1; fi
    sleep 3
  done
}
await_ready() { # url timeout
  local deadline=$(( $(date +%s) + $2 ))
  until curl -sf -o /dev/null "$1/health/ready"; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 2
  done
  # the gateway's own view of its clusters: it probes each service every 5 s, and a service it could not
  # resolve before its container started stays unavailable (503) until the next probe answers. The flows
  # start when a route of every cluster is forwarded (a 401 is an answer of the service's)
  local route code
  for route in /api/reference/fields "/api/search?q=x" /api/brokers /api/stats/turnover /api/notifications/unread; do
    until code=$(curl -s -o /dev/null -w '%{http_code}' "$1$route") && [ "$code" != 503 ] && [ "$code" != 502 ] && [ "$code" != 000 ]; do
      [ "$(date +%s)" -ge "$deadline" ] && { log "the gateway still answers $route with $code"; return 1; }
      sleep 1
    done
  done
}
# the buses: a host is ready while its bus still connects (degraded, not unready, by design: docs/deploy.md),
# but the walkthrough's events need every bus. The stage runs each host's own health probe in its container
# against /health/ready (the probe prints every check's status) until it says "masstransit-bus: Healthy", and
# logs when each did. (No variable here is named `out`: the EXIT trap's cleanup reads the stage's.)
await_buses() { # timeout container...
  local t0 deadline c answer still
  t0=$(date +%s); deadline=$(( t0 + $1 )); shift
  local waiting=() probe=()
  for c in "$@"; do [[ "$c" == *rabbitmq* ]] || waiting+=("$c"); done
  declare -A said=()
  while [ "${#waiting[@]}" -gt 0 ]; do
    still=()
    for c in "${waiting[@]}"; do
      # the image's HEALTHCHECK (["CMD", argv...] or ["CMD-SHELL", "command"]), asking for /health/ready where it
      # names another URL (the compose file's gateway asks for /health/live)
      mapfile -t probe < <(podman inspect --format json "$c" | jq -r '.[0].Config.Healthcheck.Test
        | if .[0] == "CMD-SHELL" then ["/bin/sh", "-c", .[1]] else .[1:] end
        | map(if test("^https?://") then sub("/health/[a-z]+$"; "/health/ready") else . end) | .[]')
      answer=$(podman exec "$c" "${probe[@]}" 2>&1) || true
      if grep -q '/health/ready: .*; masstransit-bus: Healthy' <<<"$answer"; then
        log "$c: its bus is connected ($(( $(date +%s) - t0 )) s after the gateway was ready)"
      else
        still+=("$c"); said[$c]=$answer
      fi
    done
    waiting=("${still[@]}")
    [ "${#waiting[@]}" -eq 0 ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      for c in "${waiting[@]}"; do log "$c: its bus did not connect in time; its health probe said: ${said[$c]}"; done
      return 1
    fi
    sleep 2
  done
}
dump_logs() { # where container...
  local where=$1; shift
  mkdir -p "$where"
  for c in "$@"; do podman logs "$c" >"$where/$c.log" 2>&1; done
}

# --- 4. the compose stack ---------------------------------------------------------------------
# docker-compose (Debian's, 1.29) against podman's Docker API: `podman system service` on a socket of
# the stage's own, stopped at the end.
podman system service --time=0 "unix://$out/podman.sock" >"$out/podman-service.log" 2>&1 &
service_pid=$!
export DOCKER_HOST="unix://$out/podman.sock"
for _ in $(seq 1 50); do [ -S "$out/podman.sock" ] && break; sleep 0.2; done
[ -S "$out/podman.sock" ] || fail "podman system service did not start (see $out/podman-service.log)"

# the project folder: the README's keys and .env, made here (never in the repository's secrets/)
mkdir -p "$out/compose/secrets" && chmod 0700 "$out/compose/secrets"
openssl ecparam -name prime256v1 -genkey -noout -out "$out/compose/secrets/jwt-signing.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$out/compose/secrets/registration-signing.pem"
chmod 0644 "$out/compose/secrets/"*.pem
(umask 077 && printf 'MARKET_MONGO_ROOT_PASSWORD=%s\nMARKET_MONGO_PASSWORD=%s\nMARKET_RABBITMQ_PASSWORD=%s\n' \
  "$(openssl rand -hex 24)" "$(openssl rand -hex 24)" "$(openssl rand -hex 24)" >"$out/compose/.env")
port=$(free_port) || fail "no free port on 127.0.0.1"
compose() {
  (cd "$out/compose" && STORAGE_PROVIDER=LiteDb MARKET_PORT="127.0.0.1:$port" MARKET_PUBLIC_URL="http://127.0.0.1:$port" \
    docker-compose -p "$compose_project" --project-directory "$out/compose" -f "$root/docker-compose.yml" -f "$here/compose.stage.yml" "$@")
}
compose_services=(rabbitmq listing matching broker registration notifications gateway)
log "starting the compose stack (${compose_services[*]}; the gateway on 127.0.0.1:$port)"
stack_started=$(date +%s)
# docker-compose waits for the health of what a service depends on (depends_on: service_healthy):
# while it starts them, the project's containers are health-checked every 3 s, for at most 10 minutes
(
  for _ in $(seq 1 200); do
    for c in $(podman ps -q --filter "label=com.docker.compose.project=$compose_project"); do
      podman healthcheck run "$c" >/dev/null 2>&1 || true
    done
    sleep 3
  done
) &
poller=$!
compose up -d --no-deps --no-build "${compose_services[@]}" >"$out/compose-up.log" 2>&1 \
  || { kill "$poller" 2>/dev/null; fail "docker-compose up failed (see $out/compose-up.log)"; }
kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null || true
containers=()
for s in "${compose_services[@]}"; do containers+=("${compose_project}_${s}_1"); done
if ! await_healthy 300 "${containers[@]}" || ! await_ready "http://127.0.0.1:$port" 120 || ! await_buses 180 "${containers[@]}"; then
  dump_logs "$out/compose-logs" "${containers[@]}"
  fail "the compose stack did not become healthy (see $out/compose-logs)"
fi
stack_ready=$(( $(date +%s) - stack_started ))
log "compose stack ready in $stack_ready s"
compose_flows=0
compose_failed=0
if "$here/flows.sh" "http://127.0.0.1:$port" "$out/compose-flows" >"$out/compose-flows.log" 2>&1; then
  compose_flows=$(sed -n 's/^flows passed: //p' "$out/compose-flows.log")
  log "compose stack: $compose_flows flows passed"
else
  cat "$out/compose-flows.log" >&2
  dump_logs "$out/compose-logs" "${containers[@]}"
  # XXM_HOLD=SECONDS keeps a failed stack up that long, to look at it (then it is cleaned up as always)
  [ -n "${XXM_HOLD:-}" ] && { log "holding the stack on 127.0.0.1:$port for $XXM_HOLD s"; sleep "$XXM_HOLD"; }
  # the Kubernetes-shaped run still goes on, so that one run reports both; the stage fails at the end
  compose_flows="$(sed -n 's/^flows passed: //p' "$out/compose-flows.log") of $(grep -c '^flow ' "$out/compose-flows.log")"
  compose_failed=1
fi
dump_logs "$out/compose-logs" "${containers[@]}"
compose down -v >>"$out/cleanup.log" 2>&1 || true
[ "${XXM_ONLY_COMPOSE:-}" = 1 ] && exit 0

# --- 5. the Kubernetes-shaped run -------------------------------------------------------------
port=$(free_port) || fail "no free port on 127.0.0.1"
log "starting the production overlay's Deployments as containers (the gateway on 127.0.0.1:$port)"
k8s_started=$(date +%s)
"$here/k8s-run.sh" "$out/k8s" "$port" >"$out/k8s-containers.txt" 2>"$out/k8s-run.log" \
  || { cat "$out/k8s-run.log" >&2; fail "the Kubernetes-shaped run did not start (see $out/k8s-run.log)"; }
mapfile -t k8s_containers <"$out/k8s-containers.txt"
if ! await_healthy 300 "${k8s_containers[@]}" || ! await_ready "http://127.0.0.1:$port" 120 || ! await_buses 180 "${k8s_containers[@]}"; then
  dump_logs "$out/k8s-logs" "${k8s_containers[@]}"
  fail "the Kubernetes-shaped run did not become healthy (see $out/k8s-logs)"
fi
log "Kubernetes-shaped run ready in $(( $(date +%s) - k8s_started )) s"
k8s_failed=0
if "$here/flows.sh" "http://127.0.0.1:$port" "$out/k8s-flows" >"$out/k8s-flows.log" 2>&1; then
  k8s_flows=$(sed -n 's/^flows passed: //p' "$out/k8s-flows.log")
else
  cat "$out/k8s-flows.log" >&2
  k8s_flows="$(sed -n 's/^flows passed: //p' "$out/k8s-flows.log") of $(grep -c '^flow ' "$out/k8s-flows.log")"
  k8s_failed=1
fi
dump_logs "$out/k8s-logs" "${k8s_containers[@]}"
cleanup
trap - EXIT
left=$(podman ps -aq --filter "name=^$XXM_PREFIX"; podman ps -aq --filter "label=com.docker.compose.project=$compose_project")
[ -z "$left" ] || fail "containers were left behind: $left"
log "done in $(( $(date +%s) - started )) s (images kept as a cache: podman images)"
summary="$images images built, stack ready in $stack_ready s, $compose_flows flows passed, k8s-shaped run: $k8s_flows flows passed"
[ "$compose_failed$k8s_failed" = 00 ] || fail "$summary (see $out/compose-flows.log, $out/k8s-flows.log)"
echo "containers: $images images built, stack ready in $stack_ready s, $compose_flows flows passed, k8s-shaped run: $k8s_flows flows passed"
