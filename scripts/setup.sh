#!/usr/bin/env bash
# `npm run setup`: installs and builds everything the product and its tests need, on a fresh machine
# or an old one. Each step is skipped when its result is already there, so a second run is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

total=7
started=$SECONDS
step() { printf '\n[%s/%s] %s\n' "$1" "$total" "$2"; }
done_in() { printf '      done in %s s\n' "$(( SECONDS - $1 ))"; }

step 1 "Checking Node.js and Go"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if (( node_major < 20 )); then echo "Node.js 20 or newer is needed (found $(node -v))." >&2; exit 1; fi
echo "      node $(node -v), npm $(npm -v 2>/dev/null), $(command -v go >/dev/null && go version | cut -d' ' -f3 || echo 'no go (only needed to build the embedded database)')"

step 2 "Debian packages: postgresql (the embedded engine's storage), redis-server (events and limits shared between instances), haproxy (the two-instance tests), chromium (browser tests), CJK fonts (screenshots, the certificate PDF), poppler-utils and zbar-tools (the certificate tests read its text and QR code)"
t=$SECONDS
missing=()
for pkg in postgresql redis-server haproxy chromium fonts-noto-cjk poppler-utils zbar-tools; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if (( ${#missing[@]} == 0 )); then
  echo "      already installed"
else
  sudo=""
  if (( EUID != 0 )); then
    if command -v sudo >/dev/null; then sudo="sudo"; else echo "      need root to install: ${missing[*]}" >&2; exit 1; fi
  fi
  echo "      installing ${missing[*]} (a few minutes on a fresh machine)…"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_in "$t"
fi

step 3 "npm packages"
t=$SECONDS
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f node_modules/.setup-lock-hash && "$(cat node_modules/.setup-lock-hash)" == "$lock_hash" ]]; then
  echo "      up to date"
else
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.setup-lock-hash
  done_in "$t"
fi

step 4 "Embedded database engine (FerretDB; it runs its own private PostgreSQL cluster, not Debian's)"
bash scripts/build-ferretdb.sh

step 5 "Mini-program npm components (miniprogram/miniprogram_npm)"
npx tsx scripts/build-miniprogram-npm.ts

step 6 "Dispatcher console (Vite build)"
t=$SECONDS
npm run --silent build:console
done_in "$t"

step 7 "Contract fuzzer (schemathesis, in the project's own virtualenv .venv-fuzz)"
t=$SECONDS
SCHEMATHESIS_VERSION=4.32.5
if [[ -x .venv-fuzz/bin/st && "$(.venv-fuzz/bin/python -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" == "$SCHEMATHESIS_VERSION" ]]; then
  echo "      schemathesis $SCHEMATHESIS_VERSION already installed"
else
  python3 -m venv .venv-fuzz
  .venv-fuzz/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  done_in "$t"
fi

printf '\nSetup complete in %s s. Next: npm start (run it all) or npm test (run every test).\n' "$(( SECONDS - started ))"
