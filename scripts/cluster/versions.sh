# Versions of the local cluster's binaries: the one place they are written (the wrapper go.mod files
# require the same; scripts/cluster/build.sh checks they agree).
K8S_VERSION=v1.34.3
ETCD_VERSION=v3.6.16
