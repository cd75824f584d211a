#!/usr/bin/env bash
# Builds the binaries of the local cluster (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, kubectl, etcd) from the wrapper modules in tools/k8s-cluster and tools/etcd, once, into a
# cache outside the clone keyed by the versions and the wrappers' go.mod/go.sum, so a fresh clone on
# the same machine (CI) reuses them. Prints the bin directory on stdout.
#   MLSHIP_CACHE   cache root (default ~/.cache/mlship)
#   --print-only   print the bin directory without building; exit 1 when it is not built yet
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=versions.sh
source "$root/scripts/cluster/versions.sh"

key="$(cat "$root/tools/k8s-cluster/go.mod" "$root/tools/k8s-cluster/go.sum" \
  "$root/tools/etcd/go.mod" "$root/tools/etcd/go.sum" | sha256sum | cut -c1-16)"
out="${MLSHIP_CACHE:-$HOME/.cache/mlship}/k8s/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-$(go env GOVERSION)-$key"
bin="$out/bin"
if [[ "${1:-}" == --print-only ]]; then echo "$bin"; [[ -f "$out/complete" ]]; exit; fi
if [[ -f "$out/complete" ]]; then echo "$bin"; exit 0; fi
grep -q "k8s.io/kubernetes $K8S_VERSION" "$root/tools/k8s-cluster/go.mod" || { echo "tools/k8s-cluster/go.mod does not require k8s.io/kubernetes $K8S_VERSION (versions.sh)" >&2; exit 1; }
grep -q "go.etcd.io/etcd/server/v3 $ETCD_VERSION" "$root/tools/etcd/go.mod" || { echo "tools/etcd/go.mod does not require etcd $ETCD_VERSION (versions.sh)" >&2; exit 1; }

mkdir -p "$bin"
# Not -mod=mod (setup exports it for go install): the committed go.sum is the build's key.
export GOFLAGS=-buildvcs=false
start=$SECONDS
ver="${K8S_VERSION#v}"
pkg=k8s.io/component-base/version
client=k8s.io/client-go/pkg/version
flags=""
# Without these the server reports v0.0.0-master+$Format:%H$ and kubectl cannot parse it.
for p in "$pkg" "$client"; do
  flags+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=${ver%%.*} -X $p.gitMinor=$(cut -d. -f2 <<<"$ver")"
  flags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
echo "building kubernetes $K8S_VERSION and etcd $ETCD_VERSION into $bin (about 20 min cold on 2 cores)" >&2
(cd "$root/tools/k8s-cluster" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $flags" -o "$bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl) >&2
(cd "$root/tools/etcd" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3) >&2
echo "built in $((SECONDS - start)) s" >&2
touch "$out/complete"
echo "$bin"
