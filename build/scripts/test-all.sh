#!/usr/bin/env bash
# Every test: type checks, lint, format check, unit tests (the layering test among them), then the end-to-end tests that build real
# network namespaces, run real ubdg processes and drive the UI in Chromium.
# The e2e tests need root (ip netns, pcap).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
  echo "test-all: the end-to-end tests need root (network namespaces, packet capture); re-running with sudo" >&2
  exec sudo -E "$0" "$@"
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "== typecheck" >&2
npm run typecheck
echo "== lint (ESLint) and format check (Prettier)" >&2
npm run lint
npm run format:check
echo "== build" >&2
npm run build
status=0
echo "== packaging check (electron-builder --dir against a stand-in Electron)" >&2
npm run check:package || status=1
echo "== unit tests" >&2
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$OUT/unit.json" || status=1
# On Linux the suites run on the native data plane (and fail if it does not load);
# then the data-plane suites run again on the portable JavaScript one.
DP=auto
[ "$(uname -s)" = Linux ] && DP=native
echo "== end-to-end tests (network namespaces, real ubdg processes, Chromium), data plane: $DP" >&2
VXB_DATA_PLANE=$DP npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json="$OUT/e2e.json" || status=1
results=("$OUT/unit.json" "$OUT/e2e.json")
if [ "$DP" = native ]; then
  echo "== the data-plane end-to-end tests again, on the JavaScript data plane" >&2
  VXB_DATA_PLANE=js npx vitest run --project e2e --reporter=default --reporter=json --outputFile.json="$OUT/e2e-js.json" \
    e2e/udp-two-sites e2e/vxlan-her e2e/vxlan-multicast e2e/kernel-interop e2e/tcp-transfer e2e/mac-learning e2e/provider-access-nat e2e/secure-legs || status=1
  results+=("$OUT/e2e-js.json")
fi

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; console.error(`test-all: no results in ${f}`); continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "${results[@]}"
exit "$status"
