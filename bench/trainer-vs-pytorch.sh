#!/usr/bin/env bash
# Training throughput of the same model in DL4J (prunewire bench trainer) and PyTorch
# (bench/pytorch/hybrid_lm.py), interleaved: for every width, ROUNDS rounds of one DL4J run and one
# PyTorch run, the order alternating, so both see the same machine load. Prints a Markdown table of
# the medians over rounds and the ratio DL4J / PyTorch.
#
#   bench/trainer-vs-pytorch.sh [WIDTH...]        default widths: 64 128 650
#   ROUNDS=3 SECONDS_PER_WINDOW=15 WINDOWS=3 WARMUP=10 MODEL=hybrid THREADS=2 bench/trainer-vs-pytorch.sh 128
#
# Needs Debian's python3-torch; PyTorch runs with OpenBLAS (libopenblas0-pthread) first on
# LD_LIBRARY_PATH because Debian's torch links the slow reference BLAS. The embedding is as wide as
# one half of a hybrid layer (W), as in the published HSTNN model (650).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=${ROUNDS:-3}
SECONDS_PER_WINDOW=${SECONDS_PER_WINDOW:-15}
WINDOWS=${WINDOWS:-3}
WARMUP=${WARMUP:-10}
MODEL=${MODEL:-hybrid}
THREADS=${THREADS:-2}
WIDTHS=("$@")
[ ${#WIDTHS[@]} -gt 0 ] || WIDTHS=(64 128 650)

OPENBLAS_DIR=${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}
if [ ! -e "$OPENBLAS_DIR/libblas.so.3" ]; then
  echo "no OpenBLAS at $OPENBLAS_DIR (apt-get install libopenblas0-pthread, or set OPENBLAS_DIR)" >&2
  exit 2
fi
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "PyTorch missing: apt-get install python3-torch" >&2; exit 2; }

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

dl4j() {
  OMP_NUM_THREADS=$THREADS "$ROOT/prunewire" bench trainer --model "$MODEL" --embedding "$1" --rnn "$1" --snn "$1" \
    --seconds "$SECONDS_PER_WINDOW" --windows "$WINDOWS" --warmup "$WARMUP" | tail -1 | awk '$1=="tokens/s" {print $2}'
}
torch() {
  LD_LIBRARY_PATH="$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS=$THREADS \
    /usr/bin/python3 "$ROOT/bench/pytorch/hybrid_lm.py" --model "$MODEL" --embedding "$1" --rnn "$1" --snn "$1" \
    --seconds "$SECONDS_PER_WINDOW" --windows "$WINDOWS" --warmup "$WARMUP" --threads "$THREADS" \
    | tail -1 | awk '$1=="tokens/s" {print $2}'
}

"$ROOT/prunewire" --version >/dev/null 2>&1 || true # builds the launcher's jar once, outside the timing
echo "| W | DL4J tokens/s (runs) | PyTorch tokens/s (runs) | DL4J / PyTorch |"
echo "| ---: | --- | --- | ---: |"
for w in "${WIDTHS[@]}"; do
  d=(); p=()
  for r in $(seq 1 "$ROUNDS"); do
    if [ $((r % 2)) -eq 1 ]; then d+=("$(dl4j "$w")"); p+=("$(torch "$w")"); else p+=("$(torch "$w")"); d+=("$(dl4j "$w")"); fi
    echo "W=$w round $r: DL4J ${d[-1]}, PyTorch ${p[-1]}" >&2
  done
  md=$(printf '%s\n' "${d[@]}" | median); mp=$(printf '%s\n' "${p[@]}" | median)
  echo "| $w | $md (${d[*]}) | $mp (${p[*]}) | $(awk -v a="$md" -v b="$mp" 'BEGIN {printf "%.2f", a/b}') |"
done
