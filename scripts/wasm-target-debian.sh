#!/usr/bin/env bash
# Fallback for machines where rustup cannot download the wasm32 target: use Debian's rustc
# ("rustc-web", shipped with full std sources), build std for wasm32-unknown-unknown once, and
# expose the result as a linked rustup toolchain "debian-wasm" selected for this checkout only.
#
# Idempotent: the std build is stamped with `rustc -vV` and redone only when Debian's rustc changes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

command -v apt-get >/dev/null || die "neither rustup nor apt-get can provide the wasm32 target here"
step "wasm32 target from Debian's Rust"

pkgs=(rustc-web cargo-web rust-web-src rust-web-llvm rustfmt-web rust-web-clippy lld-22)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  info "installing ${missing[*]}"
  as_root apt-get update -qq
  # DEBIAN_FRONTEND goes through `env`: sudo's env_reset would drop it if set in front of as_root.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

libdir=/usr/lib/rustlib/wasm32-unknown-unknown/lib
stamp="$libdir/.okta-directory-stamp"
version="$(/usr/bin/rustc -vV)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$version" ]; then
  info "building std for wasm32 with Debian's rustc (several minutes, once)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/src"
  printf '[package]\nname = "stdbuild"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' > "$work/Cargo.toml"
  echo '#![no_std]' > "$work/src/lib.rs"
  # rust-web-src vendors std's own dependencies (dlmalloc, hashbrown, ...): use them, so the std
  # build needs no registry access and cannot miss a version pinned in std's Cargo.lock.
  vendor=/usr/lib/rustlib/src/rust/library/vendor
  if [ -d "$vendor" ]; then
    mkdir -p "$work/.cargo"
    printf '[source.crates-io]\nreplace-with = "debian-vendor"\n[source.debian-vendor]\ndirectory = "%s"\n' \
      "$vendor" > "$work/.cargo/config.toml"
  fi
  # -Cembed-bitcode=yes: without it, any crate built with `lto = true` fails to find bitcode in std.
  # It goes in CARGO_ENCODED_RUSTFLAGS, the one source of flags that a RUSTFLAGS already set in the
  # caller's environment (e.g. "-D warnings" in CI) cannot replace; --target-dir likewise beats a
  # CARGO_TARGET_DIR, so the rlibs are where the copy loop below looks for them.
  (cd "$work" && env -u RUSTUP_TOOLCHAIN RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_ENCODED_RUSTFLAGS=-Cembed-bitcode=yes \
    /usr/bin/cargo build -q --release --target wasm32-unknown-unknown --target-dir "$work/target" \
    -Zbuild-std=std,panic_abort,proc_macro,test)
  as_root mkdir -p "$libdir"
  for f in "$work"/target/wasm32-unknown-unknown/release/deps/lib*.rlib; do
    case "$(basename "$f")" in libstdbuild-*) ;; *) as_root cp "$f" "$libdir/" ;; esac
  done
  echo "$version" | as_root tee "$stamp" >/dev/null
fi

# A rustup toolchain made of symlinks to Debian's binaries. Linking /usr itself would put
# /usr/lib on LD_LIBRARY_PATH, so the folder holds only bin/ and an empty lib/.
if command -v rustup >/dev/null; then
  tc="${XDG_DATA_HOME:-$HOME/.local/share}/okta-directory/debian-wasm"
  mkdir -p "$tc/bin" "$tc/lib"
  for b in rustc rustdoc cargo rustfmt cargo-fmt cargo-clippy clippy-driver; do
    [ -x "/usr/bin/$b" ] && ln -sf "/usr/bin/$b" "$tc/bin/$b"
  done
  rustup toolchain link debian-wasm "$tc" >/dev/null
  # Machine-local override for this checkout (never a committed rust-toolchain.toml).
  rustup override set debian-wasm >/dev/null
  info "rustup toolchain 'debian-wasm' linked and selected for this checkout"
fi
ok "wasm32 std installed in $libdir"
