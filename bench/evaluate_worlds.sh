#!/usr/bin/env bash
# Detection quality on fresh medium worlds (issue 4's check): for each seed, generate,
# ingest into the embedded graph, detect, and print `graphfraud evaluate` against the
# planted truth. Usage: [SCALE=small-hard] bench/evaluate_worlds.sh [SEED ...]
# (default: medium, seeds 404 505 606; `-hard` scales plant evasive variants and more decoys)
# Worlds and homes go under ${WORK:-bench/.work/evaluate}; each seed takes ~3 min here.
set -euo pipefail
work=${WORK:-"$(dirname "$0")/.work/evaluate"}
mkdir -p "$work"
for seed in "${@:-404 505 606}"; do
  for s in $seed; do
    export GRAPHFRAUD_HOME="$work/home-${SCALE:-medium}-$s"
    out="$work/${SCALE:-medium}-$s"
    rm -rf "$out" "$GRAPHFRAUD_HOME"
    graphfraud generate --scale "${SCALE:-medium}" --seed "$s" --out "$out" >/dev/null
    graphfraud ingest "$out" --fresh >/dev/null
    graphfraud detect --top 20 >/dev/null
    echo "== ${SCALE:-medium} world, seed $s"
    graphfraud evaluate --truth "$out/truth.json"
    graphfraud embedded stop >/dev/null
  done
done
