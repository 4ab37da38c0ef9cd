#!/usr/bin/env bash
# Sparsification methods side by side (issue 6, spec rnn-sparsification §5) on the package-shipped SpamAssassin task
# (cheap): sparsevd, l0 and group-lasso, each with the presets w+n (no gate groups) and w+g+n (gate groups), same
# epochs and seed; then the markdown table of experiments/methods_table.ts. Runs go to runs/methods-spam/<method>-<preset>;
# re-running resumes unfinished runs and skips finished ones. L0 and group lasso use their default (untuned) settings.
#   EPOCHS=5 nice -n 19 bash experiments/methods_compare.sh
# Cost on the 2-core reference machine: about 10-15 s of CPU per epoch and run, so 6 runs of 5 epochs take ~6 min of CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-5}"
SEED="${SEED:-1}"
OUT="${OUT:-runs/methods-spam}"
runs=()
for method in sparsevd l0 group-lasso; do
  for preset in w+n w+g+n; do
    out="$OUT/${method}-${preset}"
    if [ -f "$out/config.json" ]; then resume=(--resume); else resume=(--task spam --preset "$preset" --method "$method" --seed "$SEED"); fi
    npx tsx src/cli/main.ts train "${resume[@]}" --epochs "$EPOCHS" --out "$out"
    runs+=("$out")
  done
done
npx tsx experiments/methods_table.ts "${runs[@]}"
