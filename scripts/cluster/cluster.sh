#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine, no Docker and no cloud:
#   npm run cluster -- up | down | status | env
# up      builds the binaries once (scripts/cluster/build.sh, cached outside the clone), then starts a
#         plain-HTTP registry on 127.0.0.1, etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
#         containerd and kubelet (one node, CNI bridge + host-local), writes a kubeconfig and waits until
#         the node is Ready. Prints the cluster's description (cluster.json) on stdout.
# down    stops exactly the processes `up` recorded (by PID, checked against their command line), the
#         containers they run, unmounts what they mounted under the state dir and deletes the bridge.
# status  prints cluster.json and the state of each process; exit 0 when all run, 3 when none does,
#         1 when some do.
# env     prints `export KUBECONFIG=…; export PATH=…` for a shell (eval "$(npm run -s cluster -- env)").
# lease PID / release PID   for test runs sharing the machine's cluster: `lease` brings it up when
#         needed and records PID as a user; `release` drops it and, when the cluster was brought up by
#         a lease and no live PID holds one any more, takes it down. A cluster started with `up` is
#         never taken down by a release. up, down, lease and release take a lock, so concurrent
#         callers never start or stop it twice.
#
# Everything lives under the state dir (MLSHIP_CLUSTER_DIR, default /var/tmp/mlship-cluster) and on
# ports nothing else here uses (below). Pods get addresses on the bridge mlship-br0 (10.213.0.0/24);
# the node's address is the bridge's own (10.213.0.1), a real non-loopback address of this machine,
# so kubelet accepts it and the API server's service proxy and port-forward reach the pods. Traffic
# never leaves the machine: there is no masquerading or route to the outside. Needs root (containers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/scripts/cluster"
S="${MLSHIP_CLUSTER_DIR:-/var/tmp/mlship-cluster}"

NODE=mlship-node
BRIDGE=mlship-br0
POD_CIDR=10.213.0.0/24
NODE_IP=10.213.0.1
SERVICE_CIDR=10.214.0.0/24
REGISTRY_PORT=25050
ETCD_PORT=23790
ETCD_PEER_PORT=23800
APISERVER_PORT=16443
KUBELET_PORT=20250
KUBELET_HEALTHZ_PORT=20248
KCM_PORT=20257
SCHEDULER_PORT=20259
REGISTRY="127.0.0.1:$REGISTRY_PORT"
PAUSE_IMAGE="$REGISTRY/mlship/pause:1"
COMPONENTS=(registry etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

# --- processes ------------------------------------------------------------------------------------
pidfile() { echo "$S/run/$1.pid"; }
# The PID recorded for a component when it is still that component (guards against PID reuse).
live_pid() {
  local f pid
  f="$(pidfile "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$S" || return 1
  echo "$pid"
}
start() { # name binary args… : runs in its own session, logs to $S/logs/name.log, records the PID
  local name="$1"
  shift
  mkdir -p "$S/logs" "$S/run"
  # 9>&-: the daemon must not hold the lock (take_lock) open for as long as it runs.
  setsid "$@" >"$S/logs/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$(pidfile "$name")"
}
stop() {
  local name="$1" pid i
  if pid="$(live_pid "$name")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do [[ -d "/proc/$pid" ]] || break; sleep 0.1; done
    if [[ -d "/proc/$pid" ]]; then log "$name ($pid) did not stop on SIGTERM; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    log "stopped $name ($pid)"
  fi
  rm -f "$(pidfile "$name")"
}
wait_for() { # what timeout-seconds command… ; shows the component's log tail when it never comes
  local what="$1" timeout="$2" name="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! live_pid "$name" >/dev/null; then tail -n 30 "$S/logs/$name.log" >&2 || true; die "$name exited while waiting for $what (log: $S/logs/$name.log)"; fi
    if ((SECONDS > deadline)); then tail -n 30 "$S/logs/$name.log" >&2 || true; die "$what not within ${timeout}s (log: $S/logs/$name.log)"; fi
    sleep 0.2
  done
}

# --- certificates ---------------------------------------------------------------------------------
cert() { # name subject [extensions-file]: a key and a certificate signed by the cluster CA
  local name="$1" subj="$2" ext="${3:-}"
  [[ -f "$S/pki/$name.crt" ]] && return 0
  openssl genrsa -out "$S/pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$S/pki/$name.key" -subj "$subj" -out "$S/pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$S/pki/$name.csr" -CA "$S/pki/ca.crt" -CAkey "$S/pki/ca.key" -CAcreateserial \
    -days 3650 -out "$S/pki/$name.crt" ${ext:+-extfile "$ext"} 2>/dev/null
  rm -f "$S/pki/$name.csr"
}
make_pki() {
  mkdir -p "$S/pki"
  chmod 700 "$S/pki"
  if [[ ! -f "$S/pki/ca.crt" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$S/pki/ca.key" -out "$S/pki/ca.crt" -days 3650 -subj "/CN=mlship-local-ca" 2>/dev/null
  fi
  local ext="$S/pki/apiserver.ext"
  printf 'subjectAltName=IP:127.0.0.1,IP:%s,IP:%s,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' \
    "$NODE_IP" "${SERVICE_CIDR%.0/24}.1" >"$ext"
  printf 'extendedKeyUsage=clientAuth\n' >"$S/pki/client.ext"
  cert apiserver "/CN=kube-apiserver" "$ext"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$S/pki/client.ext"
  cert admin "/O=system:masters/CN=mlship-admin" "$S/pki/client.ext"
  cert controller-manager "/CN=system:kube-controller-manager" "$S/pki/client.ext"
  cert scheduler "/CN=system:kube-scheduler" "$S/pki/client.ext"
  cert kubelet "/O=system:nodes/CN=system:node:$NODE" "$S/pki/client.ext"
  [[ -f "$S/pki/sa.key" ]] || { openssl genrsa -out "$S/pki/sa.key" 2048 2>/dev/null; openssl rsa -in "$S/pki/sa.key" -pubout -out "$S/pki/sa.pub" 2>/dev/null; }
}
kubeconfig() { # file user cert-name
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: mlship-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $S/pki/ca.crt
users:
- name: $2
  user:
    client-certificate: $S/pki/$3.crt
    client-key: $S/pki/$3.key
contexts:
- name: mlship-local
  context: { cluster: mlship-local, user: $2 }
current-context: mlship-local
EOF
  chmod 600 "$1"
}

# --- pause image ----------------------------------------------------------------------------------
push_pause_image() {
  curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$REGISTRY/v2/mlship/pause/manifests/1" 2>/dev/null && return 0
  log "building the pause image ($here/pause.c) and pushing it to $PAUSE_IMAGE"
  local d="$S/pause-build"
  rm -rf "$d"
  mkdir -p "$d"
  gcc -static -Os -s -o "$d/pause" "$here/pause.c"
  umoci init --layout "$d/oci"
  umoci new --image "$d/oci:1"
  umoci insert --image "$d/oci:1" "$d/pause" /pause
  umoci config --image "$d/oci:1" --config.entrypoint /pause --config.user 65535:65535 --architecture amd64 --os linux
  skopeo copy --quiet --dest-tls-verify=false "oci:$d/oci:1" "docker://$PAUSE_IMAGE"
  rm -rf "$d"
}

# --- configuration files --------------------------------------------------------------------------
write_configs() {
  mkdir -p "$S/registry" "$S/containerd/certs.d/$REGISTRY" "$S/cni/net.d" "$S/kubelet" "$S/kubeconfig"
  cat >"$S/registry/config.yml" <<EOF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $S/registry/storage }, delete: { enabled: true } }
http: { addr: "$REGISTRY", secret: mlship-local-cluster }
EOF
  # Plain HTTP for registries on loopback: one hosts.toml per host:port (trust_registry adds more).
  trust_registry "$REGISTRY"
  cat >"$S/containerd/config.toml" <<EOF
version = 2
root = "$S/containerd/root"
state = "$S/containerd/state"
[grpc]
  address = "$S/containerd/containerd.sock"
[ttrpc]
  address = "$S/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$S/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Without it every sandbox fails here: runc create failed: can't get final child's PID from pipe: EOF.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$S/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "$S/containerd/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$S/containerd/certs.d"
EOF
  cat >"$S/cni/net.d/10-mlship.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "mlship",
  "plugins": [{
    "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
    "ipam": { "type": "host-local", "dataDir": "$S/cni/ipam", "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$NODE_IP" }]] }
  }]
}
EOF
  cat >"$S/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
containerRuntimeEndpoint: unix://$S/containerd/containerd.sock
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $S/pki/ca.crt }
authorization: { mode: Webhook }
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
podLogsDir: $S/pod-logs
volumePluginDir: $S/kubelet/volume-plugins
resolvConf: ""
serializeImagePulls: false
imageGCHighThresholdPercent: 100
evictionHard: { memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%" }
maxPods: 50
EOF
  kubeconfig "$S/kubeconfig/admin" mlship-admin admin
  kubeconfig "$S/kubeconfig/controller-manager" system:kube-controller-manager controller-manager
  kubeconfig "$S/kubeconfig/scheduler" system:kube-scheduler scheduler
  kubeconfig "$S/kubeconfig/kubelet" "system:node:$NODE" kubelet
}
trust_registry() { # host:port on loopback, plain HTTP
  local host="$1"
  [[ "$host" =~ ^(127\.0\.0\.1|localhost):[0-9]+$ ]] || die "trust-registry takes a loopback host:port (127.0.0.1:PORT), got '$host'"
  mkdir -p "$S/containerd/certs.d/$host"
  printf 'server = "http://%s"\n\n[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' "$host" "$host" >"$S/containerd/certs.d/$host/hosts.toml"
}

# --- up / down / status ---------------------------------------------------------------------------
# The PID that took the lock (/proc/locks), if any.
lock_holder() {
  local ino
  ino="$(stat -c %i "$S.lock")"
  grep -v -- '->' /proc/locks | awk -v ino=":$ino" 'index($6, ino) && substr($6, length($6) - length(ino) + 1) == ino {print $5}' | head -n 1
}
take_lock() {
  mkdir -p "$(dirname "$S")"
  exec 9>"$S.lock"
  flock -w 5 9 && return 0
  # Daemons started by an older copy of this script inherited the lock's fd and keep it locked after
  # the script that took it is gone: a lock whose taker is dead is going nowhere, go ahead.
  local holder
  holder="$(lock_holder)"
  if [[ -n "$holder" && ! -d "/proc/$holder" ]]; then log "the lock's taker ($holder) is gone (its daemons hold it): going ahead"; return 0; fi
  log "waiting for the cluster lock (held by pid ${holder:-?})"
  flock -w 900 9 || die "the cluster lock $S.lock is still held by pid ${holder:-?} after 15 min"
}
all_running() {
  local c
  for c in "${COMPONENTS[@]}"; do live_pid "$c" >/dev/null || return 1; done
}

lease() {
  local pid="$1" f
  [[ "$pid" =~ ^[0-9]+$ ]] || die "lease takes the PID of the process using the cluster"
  if ! all_running; then up >/dev/null; touch "$S/run/leased-up"; fi
  mkdir -p "$S/run/leases"
  touch "$S/run/leases/$pid"
  # All processes run but no cluster.json yet: an `up` without the lock (an older copy of this script)
  # is still waiting for the node. Wait for it rather than start a second cluster.
  local i=0
  while [[ ! -f "$S/cluster.json" ]] && ((i++ < 600)); do sleep 0.2; done
  [[ -f "$S/cluster.json" ]] || die "the cluster runs but $S/cluster.json never appeared (log: $S/logs)"
  cat "$S/cluster.json"
}
release() {
  local pid="$1" f others=0
  rm -f "$S/run/leases/$pid"
  for f in "$S"/run/leases/*; do
    [[ -e "$f" ]] || continue
    if [[ -d "/proc/$(basename "$f")" ]]; then others=$((others + 1)); else rm -f "$f"; fi
  done
  if [[ -f "$S/run/leased-up" ]] && ((others == 0)); then down; else log "left running ($others other user(s)$([[ -f "$S/run/leased-up" ]] || echo ', started by up'))"; fi
}

describe() {
  cat <<EOF
{
  "stateDir": "$S",
  "kubeconfig": "$S/kubeconfig/admin",
  "binDir": "$BIN",
  "kubectl": "$BIN/kubectl",
  "server": "https://127.0.0.1:$APISERVER_PORT",
  "node": "$NODE",
  "nodeIP": "$NODE_IP",
  "podCIDR": "$POD_CIDR",
  "registry": "$REGISTRY",
  "pauseImage": "$PAUSE_IMAGE",
  "registryConfigDir": "$S/containerd/certs.d",
  "kubernetesVersion": "$K8S_VERSION",
  "etcdVersion": "$ETCD_VERSION"
}
EOF
}

kc() { "$BIN/kubectl" --kubeconfig "$S/kubeconfig/admin" "$@"; }

up() {
  [[ "$(id -u)" == 0 ]] || die "the cluster runs containers: run as root"
  local running=0 c
  for c in "${COMPONENTS[@]}"; do live_pid "$c" >/dev/null && running=$((running + 1)); done
  if ((running == ${#COMPONENTS[@]})); then log "already running"; cat "$S/cluster.json"; return 0; fi
  if ((running > 0)); then log "partly running: stopping it first"; down; fi
  rm -rf "$S/run"
  for t in containerd runc umoci skopeo gcc openssl curl docker-registry /usr/lib/cni/bridge /usr/lib/cni/host-local; do
    command -v "$t" >/dev/null || [[ -x "$t" ]] || die "$t is missing: run npm run setup (scripts/apt-packages.txt)"
  done
  local t0=$SECONDS
  BIN="$("$here/build.sh")"
  local t1=$SECONDS
  mkdir -p "$S"
  make_pki
  write_configs

  # The node's network: a bridge with the node address; CNI's bridge plugin attaches pods to it.
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then ip link add "$BRIDGE" type bridge; fi
  ip addr replace "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up

  start registry /usr/bin/docker-registry serve "$S/registry/config.yml"
  wait_for "the registry" 20 registry curl -fsS "http://$REGISTRY/v2/"
  push_pause_image

  start etcd "$BIN/etcd" --name mlship --data-dir "$S/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "mlship=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" --log-level warn
  wait_for "etcd" 30 etcd curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$APISERVER_PORT" --advertise-address "$NODE_IP" \
    --service-cluster-ip-range "$SERVICE_CIDR" --authorization-mode Node,RBAC \
    --client-ca-file "$S/pki/ca.crt" --tls-cert-file "$S/pki/apiserver.crt" --tls-private-key-file "$S/pki/apiserver.key" \
    --kubelet-client-certificate "$S/pki/apiserver-kubelet-client.crt" --kubelet-client-key "$S/pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$S/pki/sa.pub" \
    --service-account-signing-key-file "$S/pki/sa.key" --enable-admission-plugins NodeRestriction \
    --profiling=false --cert-dir "$S/pki/apiserver-generated"
  wait_for "kube-apiserver /readyz" 60 kube-apiserver kc get --raw /readyz

  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$S/kubeconfig/controller-manager" \
    --authentication-kubeconfig "$S/kubeconfig/controller-manager" --authorization-kubeconfig "$S/kubeconfig/controller-manager" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$S/pki/sa.key" --root-ca-file "$S/pki/ca.crt" \
    --cluster-signing-cert-file "$S/pki/ca.crt" --cluster-signing-key-file "$S/pki/ca.key" --profiling=false \
    --cert-dir "$S/pki/controller-manager-generated"
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$S/kubeconfig/scheduler" \
    --authentication-kubeconfig "$S/kubeconfig/scheduler" --authorization-kubeconfig "$S/kubeconfig/scheduler" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false --profiling=false \
    --cert-dir "$S/pki/scheduler-generated"

  start containerd /usr/bin/containerd --config "$S/containerd/config.toml"
  wait_for "containerd's socket" 30 containerd ctr --address "$S/containerd/containerd.sock" version

  start kubelet "$BIN/kubelet" --config "$S/kubelet/config.yaml" --kubeconfig "$S/kubeconfig/kubelet" \
    --root-dir "$S/kubelet/root" --cert-dir "$S/kubelet/pki" --hostname-override "$NODE" --node-ip "$NODE_IP"
  wait_for "node $NODE Ready" 120 kubelet kc wait --for=condition=Ready "node/$NODE" --timeout=2s
  # The node controller removes the not-ready taint shortly after Ready; pods wait for it otherwise.
  wait_for "node $NODE untainted" 60 kube-controller-manager bash -c "[[ -z \"\$(\"$BIN/kubectl\" --kubeconfig \"$S/kubeconfig/admin\" get node $NODE -o jsonpath='{.spec.taints}')\" ]]"
  describe >"$S/cluster.json"
  log "up in $((SECONDS - t1)) s (binaries $((t1 - t0)) s); KUBECONFIG=$S/kubeconfig/admin"
  cat "$S/cluster.json"
}

down() {
  local sock="$S/containerd/containerd.sock" id pid m
  stop kubelet
  # The pods' containers: kill and delete them through our containerd, so their shims exit.
  if live_pid containerd >/dev/null && [[ -S "$sock" ]]; then
    for id in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$sock" -n k8s.io tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    sleep 0.5
    for id in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$sock" -n k8s.io tasks delete -f "$id" >/dev/null 2>&1 || true
    done
    for id in $(ctr --address "$sock" -n k8s.io containers ls -q 2>/dev/null); do
      ctr --address "$sock" -n k8s.io containers delete "$id" >/dev/null 2>&1 || true
    done
  fi
  stop containerd
  # Shims our containerd started (their command line names our socket) that outlived it.
  for pid in $(grep -lsF -- "$sock" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */containerd-shim* ]] || continue
    kill -KILL "$pid" 2>/dev/null && log "stopped containerd shim ($pid)"
  done
  for c in kube-scheduler kube-controller-manager kube-apiserver etcd registry; do stop "$c"; done
  # Mounts made under the state dir (pod volumes, rootfs snapshots, network namespaces), deepest first.
  for m in $(awk -v s="$S/" 'index($2, s) == 1 {print $2}' /proc/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link delete "$BRIDGE" && log "deleted bridge $BRIDGE"; fi
  # Everything but the certificates and the registry (the pause image) starts afresh next time.
  rm -rf "$S/etcd" "$S/kubelet" "$S/containerd" "$S/cni" "$S/pod-logs" "$S/cluster.json" "$S/run"
}

status() {
  local n=0 c pid
  [[ -f "$S/cluster.json" ]] && cat "$S/cluster.json"
  for c in "${COMPONENTS[@]}"; do
    if pid="$(live_pid "$c")"; then n=$((n + 1)); log "$c: running (pid $pid)"; else log "$c: not running"; fi
  done
  if ((n == ${#COMPONENTS[@]})); then
    kc get nodes -o wide >&2 || true
    return 0
  fi
  ((n == 0)) && return 3
  return 1
}

# shellcheck source=versions.sh
source "$here/versions.sh"
BIN="$("$here/build.sh" --print-only 2>/dev/null || true)"
case "${1:-}" in
  up) take_lock; up ;;
  down) take_lock; down ;;
  lease) take_lock; lease "${2:-}" ;;
  release) take_lock; release "${2:-}" ;;
  status) status ;;
  env) printf 'export KUBECONFIG=%q\nexport PATH=%q:"$PATH"\n' "$S/kubeconfig/admin" "$BIN" ;;
  trust-registry) trust_registry "${2:-}" ;;
  *) echo "usage: npm run cluster -- up | down | status | env | trust-registry 127.0.0.1:PORT | lease PID | release PID" >&2; exit 2 ;;
esac
