#!/usr/bin/env bash
# Installs everything vxbridge needs on a fresh Debian/Ubuntu machine: OS
# packages (libpcap to build the capture module, iproute2/ethtool), the npm
# packages pinned in package-lock.json, then builds the app.
#   build/setup.sh          what the app needs
#   build/setup.sh --dev    plus the test tools (iperf3, nftables, tcpdump, Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
for a in "$@"; do
  case "$a" in
    --dev) DEV=1 ;;
    *) echo "usage: build/setup.sh [--dev]" >&2; exit 2 ;;
  esac
done

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  SUDO=(sudo)
fi

PKGS=(libpcap-dev python3 make g++ iproute2 ethtool ca-certificates)
[ "$DEV" = 1 ] && PKGS+=(iperf3 nftables tcpdump iputils-ping procps chromium)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing OS packages: ${missing[*]}" >&2
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null; then
  echo "setup: Node.js 20.19 or newer is needed (https://nodejs.org); Debian's own nodejs package is too old." >&2
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`setup: Node.js ${process.versions.node} is too old: 20.19 or newer is needed`); process.exit(1) }'

echo "setup: installing npm packages (npm ci, exactly as package-lock.json pins them)" >&2
npm ci --no-audit --no-fund
echo "setup: building" >&2
npm run build
echo "setup: done. Start the app with: npm start   (the CLI: npx ubdg --help)" >&2
