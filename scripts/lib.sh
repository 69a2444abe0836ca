# Shared helpers for the scripts in this folder (sourced, not run).
# shellcheck shell=bash

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*" >&2; }
info() { printf '   %s\n' "$*" >&2; }
ok() { printf '   \033[32mok\033[0m %s\n' "$*" >&2; }
warn() { printf '   \033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '   \033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Whether rustc can find a std library for wasm32-unknown-unknown.
has_wasm_std() {
  local dir
  dir="$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)" || return 1
  compgen -G "$dir/libstd-*.rlib" >/dev/null
}

# The exact wasm-bindgen version pinned in Cargo.toml (`wasm-bindgen = "=X.Y.Z"`).
wasm_bindgen_version() {
  sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml
}

# Paths of the browser and its driver (overridable for machines without Debian's packages).
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM CHROMEDRIVER
# Tools installed by npm (binaryen's wasm-opt first: Debian's binaryen 108 breaks wasm-bindgen output).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# rustc flags that remap this machine's dependency sources (`$CARGO_HOME/registry/src/<registry>/`)
# to `deps/`: panic locations of dependencies carry their file names into the wasm module, and no
# absolute path of the build machine belongs in a published package.
remap_flags() {
  local home="${CARGO_HOME:-$HOME/.cargo}" d flags=""
  for d in "$home"/registry/src/*/; do
    [ -d "$d" ] && flags+="${flags:+ }--remap-path-prefix=${d%/}=deps"
  done
  printf '%s' "$flags"
}
