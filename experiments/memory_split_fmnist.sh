#!/usr/bin/env bash
# Memory-split demonstration (issue 5, spec memory-split §6.3): one wide network or k thinner ones at equal parameter
# budgets. Each part is a sweep directory in runs/split-<part>/ (one JSON record per (budget, k) cell) plus its report
# (runs/split-<part>/report/report.md with SVG plots). Re-running resumes: finished cells are skipped.
#   PARTS="mlp-10k" bash experiments/memory_split_fmnist.sh
# Parts (same Adam recipe at every width, not tuned per width; 3-hidden-layer MLP, the spec's main family, whose h^2
# terms dominate from h ~ 260-400 params; budgets go to 6.4M, 16x past the 400k where the pilot's split broke even):
#   mlp-10k   Fashion-MNIST, first 10k training images, 20 epochs, B = 25k..6.4M, k = 1..16, 3 runs per cell
#   mlp-full  Fashion-MNIST, all 55k training images, 10 epochs, B = 100k..6.4M, k = 1..16, 2 runs per cell
#   lstm      SpamAssassin LSTM classifier (2k words, 16-d embedding, 100 tokens), 10 epochs, B = 100k..800k, k = 1..8,
#             2 runs per cell
#   cnn       small CNN on 14x14 Fashion-MNIST (spec §6.3 B), first 10k training images, 10 epochs, B = 35k..557k
#             (c0 = 16, 32, 64), k = 1..8, 2 runs per cell (native im2col conv kernels, src/engine/kernels/conv.ts)
# Validation = the last 5k training images (temperature on validation is reported next to the spec's test-set CV CNLL).
# Measured wall time on this 2-core box, 2 workers x 1 thread (docs/results.md; cells/*.json hold wallSeconds):
# mlp-10k 21 min, mlp-full 45 min (about 8 of them paused for benchmarks), cnn 32 min, lstm 22 min.
set -euo pipefail
cd "$(dirname "$0")/.."
PARTS="${PARTS:-mlp-10k mlp-full cnn lstm}"
split() { npx tsx src/cli/main.ts split "$@"; }
for part in $PARTS; do
  out="runs/split-${part}"
  case "$part" in
    mlp-10k)  split sweep --arch mlp --depth 3 --train-size 10000 --epochs 20 --runs 3 \
                --budgets 25e3,1e5,4e5,1.6e6,6.4e6 --ks 1,2,4,8,16 --out "$out" ;;
    mlp-full) split sweep --arch mlp --depth 3 --epochs 10 --runs 2 \
                --budgets 1e5,4e5,1.6e6,6.4e6 --ks 1,2,4,8,16 --out "$out" ;;
    lstm)     split sweep --arch lstm --vocabulary 2000 --embedding-dim 16 --max-length 100 --epochs 10 --runs 2 \
                --budgets 1e5,2e5,4e5,8e5 --ks 1,2,4,8 --out "$out" ;;
    cnn)      split sweep --arch cnn --input-pool 2 --train-size 10000 --epochs 10 --runs 2 \
                --budgets 35e3,140e3,557e3 --ks 1,2,4,8 --out "$out" ;;
    *) echo "unknown part $part (mlp-10k, mlp-full, lstm, cnn)" >&2; exit 2 ;;
  esac
  split report --sweep "$out"
done
