#!/usr/bin/env bash
# Idempotent setup: everything the build and the tests need, installed only when missing.
# Run by both README commands (scripts/run.sh and scripts/test.sh); a second run takes seconds.
#
#   - Debian chromium + chromium-driver (browser tests), when apt-get is available
#   - the wasm32-unknown-unknown Rust target: present → `rustup target add` (20 s timeout) →
#     the Debian route (scripts/wasm-target-debian.sh)
#   - wasm-bindgen-cli of exactly the version pinned in Cargo.toml
#   - npm dev dependencies (pinned in package-lock.json; includes binaryen's wasm-opt)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

step "setup"

# --- Debian packages -------------------------------------------------------------------------
need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
[ -x /usr/bin/chromedriver ] || need_pkgs+=(chromium-driver)
command -v curl >/dev/null || need_pkgs+=(curl)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    info "installing Debian packages: ${need_pkgs[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    warn "no apt-get: install ${need_pkgs[*]} yourself (or set CHROMIUM/CHROMEDRIVER to their paths)"
  fi
fi

# --- Rust: wasm32 target -----------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) first"
if ! has_wasm_std; then
  info "wasm32-unknown-unknown std missing: trying rustup"
  if command -v rustup >/dev/null && RUSTUP_AUTO_INSTALL=0 timeout -k 5 20 rustup target add wasm32-unknown-unknown; then
    :
  else
    warn "rustup could not add the target; building it from Debian's Rust sources instead"
    bash scripts/wasm-target-debian.sh
  fi
  has_wasm_std || die "wasm32-unknown-unknown target still missing after setup"
fi

# --- wasm-bindgen-cli, same version as the crate ----------------------------------------------
want_wb="$(wasm_bindgen_version)"
have_wb="$( (wasm-bindgen --version 2>/dev/null || true) | awk '{print $2}')"
if [ "$have_wb" != "$want_wb" ]; then
  info "installing wasm-bindgen-cli $want_wb (a few minutes, once)"
  # --locked is not used: the registry may lack one of the CLI's locked dependency versions.
  cargo install -q wasm-bindgen-cli --version "=$want_wb"
fi

# --- npm dev dependencies ---------------------------------------------------------------------
command -v node >/dev/null || die "node not found: install Node.js 20.19 or newer"
stamp=node_modules/.okta-directory-setup
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  info "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > "$stamp"
fi
"$root/node_modules/.bin/wasm-opt" --version >/dev/null || die "binaryen's wasm-opt did not install"

ok "setup complete"
