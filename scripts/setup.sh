#!/usr/bin/env bash
# One-time setup on Debian 12 + Node 20 (run as root, or with the packages already installed):
# GEMM libraries for the native addon, then the npm install that builds the addon offline.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
[ -f /usr/include/oneapi/dnnl/dnnl.h ] || need+=(libdnnl-dev)
[ -f /usr/include/x86_64-linux-gnu/cblas.h ] || [ -f /usr/include/cblas.h ] || need+=(libopenblas-dev)
# the OpenMP build of OpenBLAS shares one thread pool with oneDNN and our kernels (no oversubscription)
[ -f /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0 ] || need+=(libopenblas0-openmp)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
command -v xz >/dev/null || need+=(xz-utils)
# Fashion-MNIST for the memory-split sweeps (parsimony split sweep --arch mlp|cnn)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[parsimony] installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "[parsimony] missing ${need[*]} (not root, so not installing; the addon may fall back to a slower GEMM)" >&2
  fi
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
