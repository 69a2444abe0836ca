#!/usr/bin/env bash
# Builds the wasm modules (release, wasm-bindgen --target web, wasm-opt) into pkg/ (full) and
# pkg-claims/ (normalization + matching only), and the npm SDK into js/dist, js/wasm, js/wasm-claims.
# Unchanged inputs are not rebuilt.
#
#   WASM_OPT_LEVEL=-Oz bash scripts/build.sh   # one wasm-opt level for both modules
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib.sh

# The full module: binaryen's -O3 --converge instead of -Oz (session 10): 201 B gzip smaller and
# 5.6 % fewer instructions per matchMany pair (callgrind, Node) at the same rustc flags; -O4 +2.1 KB,
# -O3 alone +61 B and slower on the loaded paths (docs/decisions/wasm-build-flags.md, "Session 10").
level="${WASM_OPT_LEVEL:--O3 --converge}"
# The claims-only module: binaryen's -Os with --converge gzips 2.2 KB smaller than -Oz there
# (docs/decisions/claims-only-size.md); WASM_OPT_LEVEL, when given, applies to both modules.
claims_level="${WASM_OPT_LEVEL:--Os --converge}"

# Builds one wasm module: cargo (release) → wasm-bindgen --target web → wasm-opt, into <out>/.
# Each feature set has its own target dir: both produce the same cdylib file name, and sharing one
# dir would make every build relink the other.
build_wasm() { # <out dir> <cargo target dir> <wasm-opt level> <cargo feature args...>
  local out="$1" tdir="$2" level="$3"; shift 3
  step "build: wasm $out/ (release, wasm-opt $level${*:+, $*})"
  cargo build -q --release --lib --target wasm32-unknown-unknown --target-dir "$tdir" "$@"
  local raw="$tdir/wasm32-unknown-unknown/release/okta_directory.wasm"
  local stamp="$out/.build-stamp"
  local want
  want="$(sha256sum "$raw" | cut -d' ' -f1) $level $(wasm_bindgen_version) strip low-memory-unused"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -f "$out/okta_directory_bg.wasm" ]; then
    rm -rf "$out"
    wasm-bindgen --target web --out-dir "$out" --out-name okta_directory "$raw"
    # The features rustc enables by default for wasm32 (wasm-bindgen output uses reference types).
    # shellcheck disable=SC2086 # the level may be several flags
    # The producers and target-features sections are metadata no engine reads (266 B gzip).
    # --low-memory-unused: addresses below 1024 are never reached through a pointer that wrapped
    # around, so `load (x + C)` may become `load offset=C (x)` (1.7 KB gzip on the claims-only module;
    # docs/decisions/claims-only-size.md, fourth pass).
    wasm-opt $level --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
      --strip-producers --strip-target-features --low-memory-unused \
      "$out/okta_directory_bg.wasm" -o "$out/okta_directory_bg.wasm"
    echo '{"type":"module"}' > "$out/package.json"
    echo "$want" > "$stamp"
  fi
  info "$out/okta_directory_bg.wasm: $(wc -c < "$out/okta_directory_bg.wasm") bytes, $(gzip -9c "$out/okta_directory_bg.wasm" | wc -c) gzip"
}

# The full module (Node, Workers, browser, slim) and the claims-only one (`okta-directory/claims`).
# The full module at rustc opt-level 3 with LLVM's inline threshold at 50 (Cargo.toml keeps "s" for the
# native builds): opt-level 2 with threshold 20 made matchMany, decideMany and loadPairs 11-14 % faster
# than "s" for +8.6 KB gzip; 3 with threshold 50 is another 7-15 % (loaded decide +8 %) for +18.4 KB
# (568.3 → 586.7 KB of 600 KB), which fits since the shared sort (src/sort.rs) freed 20 KB; 3 without
# a threshold is +78 KB (docs/decisions/wasm-build-flags.md). Session 8's merges (reader, twins' name
# list) took the module to 601.8 KB; the shared sort in three more places brought it back to 599.0 KB.
# Session 9: the directory's last std sorts through the shared sort freed 20 KB (578.9 KB at threshold
# 50); threshold 100 (597.8 KB) made matchMany +3 % and decideMany +2 % faster (CPU, medians of 10
# alternated runs), but with the session's other branches merged it came to 599.5 KB (0.5 KB left, under
# the 2 KB kept for merges), so 75 (+7.1 KB over 50; within noise of 50 in speed) ships
# (docs/decisions/wasm-build-flags.md, "Session 9"). If merges push the module past 598 KB:
# FULL_INLINE_THRESHOLD=50 gives back 7.1 KB, 30 another 3.7 KB; FULL_OPT_LEVEL=2
# FULL_INLINE_THRESHOLD=20 about 25 KB (estimated); FULL_OPT_LEVEL=s FULL_INLINE_THRESHOLD= restores
# the size-first build.
full_opt="${FULL_OPT_LEVEL:-3}"
full_inline="${FULL_INLINE_THRESHOLD-75}"
# The caller's RUSTFLAGS, then the dependency sources' remapping (scripts/lib.sh), then each module's own.
base_flags="${RUSTFLAGS:-}${RUSTFLAGS:+ }$(remap_flags)"
RUSTFLAGS="$base_flags${full_inline:+ -Cllvm-args=-inline-threshold=$full_inline}" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL="$full_opt" build_wasm pkg target "$level"
# The light module is built at rustc opt-level "z" (the full one at 3, above): 4 % smaller than "s"
# gzip for a page that matches a handful of pairs (BENCHMARKS.md, "Sizes per package entry").
# At "z" LLVM inlines almost nothing (threshold 5; "s" 50, 3 250); an explicit threshold (z everywhere
# else) buys speed with bytes: 75 made matchMany, decideMany and loadPairs 19-34 % and the loaded decide
# 31-39 % faster than "z" for +7.1 KB gzip; 150 another 8-21 % over 75 for +11.3 KB (228.3 → 239.6 KB
# of 250 KB). Session 9: 165 costs another 2.0 KB (247.1 → 249.1 KB), more than the 1.5 KB of room
# kept for merges, so 150 stays. If merges push the module past 247 KB, lower CLAIMS_INLINE_THRESHOLD: 75 gives back
# 11.3 KB, 40 another 5.3 KB. Matrix and method: docs/decisions/wasm-build-flags.md. Appended to the
# caller's RUSTFLAGS; the flag reaches the LTO link, where the whole module is inlined.
# Session 10: 135 instead of 150 gives back 2.6 KB gzip (248.3 → 245.7 KB) for the same instructions per
# matchMany pair (callgrind over node, 322.9 k → 322.4 k; CPU pairs/s within noise), room for the merges.
claims_inline="${CLAIMS_INLINE_THRESHOLD:-135}"
RUSTFLAGS="$base_flags -Cllvm-args=-inline-threshold=$claims_inline" CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
  build_wasm pkg-claims target/claims "$claims_level" --no-default-features --features claims

step "build: npm SDK (js/dist, js/wasm)"
mkdir -p js/wasm
mkdir -p js/wasm-claims
for f in okta_directory.js okta_directory.d.ts okta_directory_bg.wasm; do
  cmp -s "pkg/$f" "js/wasm/$f" || cp "pkg/$f" "js/wasm/$f"
  cmp -s "pkg-claims/$f" "js/wasm-claims/$f" || cp "pkg-claims/$f" "js/wasm-claims/$f"
done
rm -rf js/dist
tsc -p js/tsconfig.json
# okta-directory/claims: its two entries bundled against the claims-only glue (js/wasm-claims/).
node scripts/bundle-claims.mjs
# The package ships the repository's license and changelog (npm's prepack copies them too).
cp LICENSE CHANGELOG.md js/
ok "built"
