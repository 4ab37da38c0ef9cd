#!/usr/bin/env bash
# IMDB reproduction (spec rnn-sparsification §6, reference numbers rnn-results.md §B): one run per preset, each in
# runs/imdb-<preset>/ (metrics.jsonl, checkpoints, report). Re-running resumes unfinished runs and skips finished ones.
#   EPOCHS=20 PRESETS="sparsevd w+g+n" bash experiments/imdb.sh
# Cost on the 2-core reference machine: ~50 s per epoch (sparsevd), so 20 epochs of one preset take ~17 min.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-20}"
PRESETS="${PRESETS:-sparsevd w+g+n sparsevd-voc w+n dense binary-dropout}"
for preset in $PRESETS; do
  out="runs/imdb-${preset}"
  if [ -f "$out/config.json" ]; then resume=(--resume); else resume=(); fi
  npx tsx src/cli/main.ts train --task imdb --preset "$preset" --epochs "$EPOCHS" --out "$out" "${resume[@]}"
  npx tsx src/cli/main.ts report --run "$out"
done
