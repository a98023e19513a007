#!/usr/bin/env bash
# Compiles native/ (only) and runs the capture-rate benchmark. Root needed.
#   bash native/bench/run-capture-bench.sh [SECONDS_PER_RUN] [REPEATS] [OFFLOADS=off|on]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/node_modules/.cache/vxb-native-bench"
trap 'rm -rf "$out"' EXIT
mkdir -p "$out"
echo '{"type":"module"}' > "$out/package.json"
node "$root/node_modules/typescript/bin/tsc" --outDir "$out" --rootDir "$root" --module NodeNext \
  --moduleResolution NodeNext --target ES2022 --strict --skipLibCheck --types node \
  "$root/native/bench/capture-rate.ts"
node "$out/native/bench/capture-rate.js" "${1:-5}" "${2:-1}" "${3:-off}"
