#!/usr/bin/env bash
# Measures the shipped wasm module at wasm-opt -Oz and -O3 (raw and gzip -9 bytes), and the
# normalization throughput of each build in Node. Results go to stdout as a Markdown table row set.
#
#   bash bench/wasm-size.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

printf '| wasm-opt | raw bytes | gzip -9 bytes | normalize (µs/user, Node) |\n|---|---:|---:|---:|\n'
for level in -Oz -O3; do
  WASM_OPT_LEVEL="$level" bash scripts/build.sh >/dev/null 2>&1
  raw=$(wc -c < pkg/okta_directory_bg.wasm)
  gz=$(gzip -9c pkg/okta_directory_bg.wasm | wc -c)
  us=$(node bench/normalize-node.mjs --quiet)
  printf '| %s | %s | %s | %s |\n' "$level" "$raw" "$gz" "$us"
done
# Leave the default build in place.
bash scripts/build.sh >/dev/null 2>&1
