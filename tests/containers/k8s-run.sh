#!/usr/bin/env bash
# The Kubernetes-shaped run: the production overlay as `kubectl kustomize` renders it, each Deployment
# started as one podman container the way a kubelet would start its pod — its image, its ConfigMap and
# Secret environment ($(VAR) references expanded), its Secret volumes as files, its emptyDirs, its
# securityContext (uid/gid 1654, fsGroup, no capabilities, no privilege escalation, read-only root),
# its resource limits — on one network where each is reachable by the names of the Services that
# select it. RabbitMQ runs from Debian's package as the Service `rabbitmq` the operator would make,
# with the user of the Secret rabbitmq-market-credentials.
#
# What the stage changes, and why (it says so in its log): Storage__Provider=LiteDb (no MongoDB here),
# Demo__Seed=true on the gateway and broker (the flows sign in with demo accounts),
# Notifications__Smtp__Host empty (no mail leaves this machine), one replica of each Deployment, and a
# time on every log line (Logging__Console__FormatterOptions__TimestampFormat).
#
# Usage: k8s-run.sh OUT PORT   (run.sh calls it; the containers' names start with $XXM_PREFIX-k8s)
# Prints the names of the containers it started, one a line, on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$1
port=$2
prefix="${XXM_PREFIX:?}-k8s"
network="$prefix"
mkdir -p "$out"
log() { printf '[k8s-shaped %s] %s\n' "$(date +%T)" "$*" >&2; }

kubectl kustomize "$root/k8s/overlays/production" >"$out/rendered.yaml"
/usr/bin/python3 -c 'import sys, yaml, json; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)' \
  <"$out/rendered.yaml" >"$out/rendered.json"
doc() { jq -c --arg kind "$1" --arg name "$2" '.[] | select(.kind == $kind and .metadata.name == $name)' "$out/rendered.json"; }
namespace=$(jq -r '[.[] | select(.kind == "Deployment")][0].metadata.namespace' "$out/rendered.json")

# --- the Secrets, made the README's way (its kubectl create secret commands), as files -----------
secrets="$out/secrets"
rm -rf "$secrets"
mkdir -p "$secrets"/{jwt-signing-key,registration-signing-key,rabbitmq-market-credentials,mongodb-market-connection}
openssl ecparam -name prime256v1 -genkey -noout -out "$secrets/jwt-signing-key/jwt-signing.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$secrets/registration-signing-key/registration-signing.pem"
printf market >"$secrets/rabbitmq-market-credentials/username"
openssl rand -hex 24 | tr -d '\n' >"$secrets/rabbitmq-market-credentials/password"
# what the MongoDB operator would write (unused: the stage runs on LiteDB)
printf 'mongodb://market:%s@mongodb-0.mongodb-svc.%s.svc.cluster.local:27017/admin?replicaSet=mongodb&ssl=false' \
  "$(openssl rand -hex 24)" "$namespace" >"$secrets/mongodb-market-connection/connectionString.standard"
# a Secret volume's files: root's, 0644 (defaultMode), read-only
chmod 0755 "$secrets" "$secrets"/*; chmod 0644 "$secrets"/*/*
secret_value() { # secret key optional
  local file="$secrets/$1/$2"
  if [ -f "$file" ]; then cat "$file"; return 0; fi
  [ "$3" = true ] && return 2
  log "the Secret $1 has no key $2"; return 1
}

# a subnet of its own, never the first free one: the compose stack's network, removed a moment before, had that,
# and in one CI run podman's DNS (aardvark-dns, listening on the bridge's address) went on answering this network's
# queries with the compose containers' old addresses — the gateway reached "matching" before its container existed
# ("connection refused", not "name not known") and got 404s from whatever held the address
podman network create --subnet 10.89.213.0/24 "$network" >/dev/null

# --- RabbitMQ, as the operator's Service `rabbitmq` ------------------------------------------
rabbit="$prefix-rabbitmq"
podman run -d --name "$rabbit" --hostname rabbitmq --network "$network" --network-alias rabbitmq \
  -e "RABBITMQ_DEFAULT_USER=$(cat "$secrets/rabbitmq-market-credentials/username")" \
  -e "RABBITMQ_DEFAULT_PASS=$(cat "$secrets/rabbitmq-market-credentials/password")" \
  --health-cmd 'rabbitmq-diagnostics -q ping' localhost/xxm-rabbitmq:stage >/dev/null
echo "$rabbit"

# --- the Deployments ----------------------------------------------------------------------------
# the Services' names each Deployment's pods answer to (a Service selects them by label)
aliases() { # deployment json
  jq -r --argjson d "$1" '.[] | select(.kind == "Service") | select(.spec.selector as $s | $d.spec.template.metadata.labels | contains($s)) | .metadata.name' "$out/rendered.json"
}
mem() { # 512Mi → 512m, 2Gi → 2g
  sed -e 's/Mi$/m/' -e 's/Gi$/g/' <<<"$1"
}
cpus() { # "1" → 1, "500m" → 0.5
  case "$1" in *m) awk -v m="${1%m}" 'BEGIN { printf "%.3f", m / 1000 }' ;; *) echo "$1" ;; esac
}

for name in $(jq -r '.[] | select(.kind == "Deployment") | .metadata.name' "$out/rendered.json"); do
  d=$(doc Deployment "$name")
  pod=$(jq -c '.spec.template.spec' <<<"$d")
  [ "$(jq '.containers | length' <<<"$pod")" = 1 ] || { log "$name: more than one container"; exit 1; }
  c=$(jq -c '.containers[0]' <<<"$pod")
  image=$(jq -r .image <<<"$c")
  # the overlay's registry names (registry.example.cn/…:1.0.0) for the images just built; never pushed
  podman tag "xiaoxiang-market/$name:latest" "$image"
  args=(--name "$prefix-$name" --hostname "$name" --network "$network")
  for a in $(aliases "$d"); do args+=(--network-alias "$a"); done

  # the securityContext, the pod's and the container's
  uid=$(jq -r '.securityContext.runAsUser // empty' <<<"$pod"); gid=$(jq -r '.securityContext.runAsGroup // empty' <<<"$pod")
  [ "$(jq -r '.securityContext.runAsNonRoot' <<<"$pod")" = true ] && [ -n "$uid" ] && [ "$uid" != 0 ] || { log "$name: not run as a non-root uid"; exit 1; }
  args+=(--user "$uid:${gid:-$uid}")
  fsgroup=$(jq -r '.securityContext.fsGroup // empty' <<<"$pod"); [ -n "$fsgroup" ] && args+=(--group-add "$fsgroup")
  [ "$(jq -r '.securityContext.readOnlyRootFilesystem' <<<"$c")" = true ] && args+=(--read-only --read-only-tmpfs=false)
  [ "$(jq -r '.securityContext.allowPrivilegeEscalation' <<<"$c")" = false ] && args+=(--security-opt no-new-privileges)
  for cap in $(jq -r '.securityContext.capabilities.drop[]? // empty' <<<"$c"); do args+=(--cap-drop "$cap"); done
  # RuntimeDefault seccomp is podman's default profile
  [ "$(jq -r '.securityContext.seccompProfile.type // "RuntimeDefault"' <<<"$pod")" = RuntimeDefault ] || { log "$name: a seccomp profile the stage does not know"; exit 1; }

  # resources: the limits (requests only place pods on nodes)
  limit=$(jq -r '.resources.limits.memory // empty' <<<"$c"); [ -n "$limit" ] && args+=(--memory "$(mem "$limit")")
  limit=$(jq -r '.resources.limits.cpu // empty' <<<"$c"); [ -n "$limit" ] && args+=(--cpus "$(cpus "$limit")")

  # volumes: emptyDirs as tmpfs writable by the fsGroup, Secrets as their files, read-only
  while IFS=$'\t' read -r vname mpath ro; do
    v=$(jq -c --arg n "$vname" '.volumes[] | select(.name == $n)' <<<"$pod")
    if jq -e .emptyDir <<<"$v" >/dev/null; then
      # a fresh podman volume of the pod's own, as an emptyDir on the node's disk (a tmpfs on a folder the
      # image declares as a VOLUME comes up root's 0755 on podman 4.3, whatever its mode option says)
      podman volume rm -f "$prefix-$name-$vname" >/dev/null 2>&1 || true
      args+=(--mount "type=volume,source=$prefix-$name-$vname,destination=$mpath")
    elif jq -e .secret <<<"$v" >/dev/null; then
      sname=$(jq -r .secret.secretName <<<"$v")
      [ -d "$secrets/$sname" ] || { log "$name: the Secret $sname does not exist"; exit 1; }
      args+=(--mount "type=bind,source=$secrets/$sname,destination=$mpath,ro=true")
    else
      log "$name: volume $vname is of a kind the stage does not run"; exit 1
    fi
  done < <(jq -r '.volumeMounts[]? | [.name, .mountPath, (.readOnly // false | tostring)] | @tsv' <<<"$c")

  # the environment: envFrom ConfigMaps first, then env in order ($(VAR) from the variables before it)
  declare -A env=()
  order=()
  setenv() { [ -n "${env[$1]+x}" ] || order+=("$1"); env[$1]=$2; }
  for cm in $(jq -r '.envFrom[]?.configMapRef.name' <<<"$c"); do
    [ -n "$(doc ConfigMap "$cm")" ] || { log "$name: the ConfigMap $cm does not exist"; exit 1; }
    while IFS= read -r -d '' kv; do setenv "${kv%%=*}" "${kv#*=}"; done \
      < <(doc ConfigMap "$cm" | jq -j '.data | to_entries[] | "\(.key)=\(.value)\u0000"')
  done
  while IFS= read -r -d '' e; do
    ename=$(jq -r .name <<<"$e")
    if jq -e '.valueFrom.secretKeyRef' <<<"$e" >/dev/null; then
      set +e
      value=$(secret_value "$(jq -r .valueFrom.secretKeyRef.name <<<"$e")" "$(jq -r .valueFrom.secretKeyRef.key <<<"$e")" "$(jq -r '.valueFrom.secretKeyRef.optional // false' <<<"$e")")
      rc=$?; set -e
      [ "$rc" = 2 ] && continue    # an optional Secret that does not exist: the variable is not set
      [ "$rc" = 0 ] || exit 1
    elif [ "$(jq -r '.valueFrom.fieldRef.fieldPath // empty' <<<"$e")" = metadata.name ]; then
      value="$name"   # the downward API: the pod's name (one replica: the Deployment's name)
    elif jq -e 'has("value")' <<<"$e" >/dev/null; then
      value=$(jq -r .value <<<"$e")
      # Kubernetes expands $(NAME) from the variables defined before; an unknown one stays as written
      while [[ "$value" =~ \$\(([A-Za-z_][A-Za-z0-9_]*)\) ]] && [ -n "${env[${BASH_REMATCH[1]}]+x}" ]; do
        value=${value//"$(printf '$(%s)' "${BASH_REMATCH[1]}")"/${env[${BASH_REMATCH[1]}]}}
      done
    else
      log "$name: $ename takes its value from a source the stage does not run"; exit 1
    fi
    setenv "$ename" "$value"
  done < <(jq -j '.env[]? | tojson + "\u0000"' <<<"$c")
  # the stage's own changes (see the head of this file)
  setenv Storage__Provider LiteDb
  # the stage's logs carry the time (the bus flows' delays are read from them)
  setenv Logging__Console__FormatterOptions__TimestampFormat "HH:mm:ss.fff "
  case "$name" in gateway|broker) setenv Demo__Seed true ;; esac
  [ "$name" = notifications ] && setenv Notifications__Smtp__Host ""
  [ "$name" = notifications ] && setenv Notifications__PublicBaseUrl "http://127.0.0.1:$port"
  for k in "${order[@]}"; do args+=(--env "$k=${env[$k]}"); done
  unset env

  # the Ingress's way in: the gateway's port, on 127.0.0.1 only
  [ "$name" = gateway ] && args+=(--publish "127.0.0.1:$port:$(jq -r '.ports[0].containerPort' <<<"$c")")
  podman run -d "${args[@]}" "$image" >/dev/null
  echo "$prefix-$name"
done
