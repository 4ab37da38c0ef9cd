#!/usr/bin/env bash
# PTB language models (spec rnn-sparsification §6, reference numbers rnn-results.md §C): char-level (LSTM 1000) and
# word-level (LSTM 256) runs per preset in runs/<task>-<preset>/; re-running resumes unfinished runs.
#   EPOCHS=1 TASKS="char-ptb" PRESETS="sparsevd" bash experiments/ptb.sh
# Cost on the 2-core reference machine: one char-PTB epoch (784 steps of 64 x 100 characters) is roughly 15-40 min
# depending on load; the reference runs are 250 (char) and 150 (word) epochs, far beyond CPU hours here.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-1}"
TASKS="${TASKS:-char-ptb word-ptb}"
PRESETS="${PRESETS:-sparsevd w+g+n}"
for task in $TASKS; do
  for preset in $PRESETS; do
    out="runs/${task}-${preset}"
    if [ -f "$out/config.json" ]; then resume=(--resume); else resume=(); fi
    npx tsx src/cli/main.ts train --task "$task" --preset "$preset" --epochs "$EPOCHS" --out "$out" "${resume[@]}"
    npx tsx src/cli/main.ts report --run "$out"
  done
done
