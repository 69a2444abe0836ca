#!/usr/bin/env bash
# The package as a user gets it: pack js/, check the tarball's contents, lint it (publint, attw),
# install it into a fresh project OUTSIDE the repository, run every code block of README.md,
# js/README.md and docs/*.md against the emulator (tests/package/snippets.mjs, docs/snippets.md),
# build a small Vite app with it and load that in Chromium, run the Worker template's tests from a
# copy outside the repository, and type-check tests/types/<resolver>/ against the installed package.
# Assumes the build already ran (js/dist, js/wasm, js/wasm-claims). From the repo root:
#
#   bash tests/package/run.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="$root/node_modules/.bin"
cd "$root"

work="$(mktemp -d "${TMPDIR:-/tmp}/okta-directory-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
section() { printf '\n==== %s ====\n' "$*"; }

section "release workflow (linted, not run)"
node "$here/workflow.mjs" .github/workflows/release.yml

section "npm pack"
tarball="$work/$(npm pack ./js --pack-destination "$work" --loglevel=warn | tail -n1)"
tar -tzf "$tarball" | sed 's|^package/||' | sort > "$work/contents"
wc -l < "$work/contents" | xargs printf '  %s files in %s\n' "$(basename "$tarball")"
# What a user needs, and every `files` entry of package.json (npm skips missing ones silently).
need=(README.md LICENSE CHANGELOG.md package.json dist/node.js dist/claims-browser.js dist/claims-node.js
  wasm/okta_directory_bg.wasm wasm-claims/okta_directory_bg.wasm types/wasm-module.d.ts)
mapfile -t listed < <(node -p 'require("./js/package.json").files.join("\n")')
for f in "${need[@]}" "${listed[@]}"; do
  grep -qE "^${f//./\\.}(/|$)" "$work/contents" || { echo "  the tarball lacks $f" >&2; exit 1; }
done
echo "  contains README.md, LICENSE, CHANGELOG.md, both wasm modules and every \`files\` entry"

section "publint --strict (the tarball)"
"$bin/publint" run "$tarball" --strict

section "attw (the tarball)"
# One rule ignored, on purpose: cjs-resolves-to-esm. The package is ESM-only; attw models node16's
# CommonJS, which could not require() an ES module. Node ≥ 20.19 (the package's minimum) can: the
# Node entries have no top-level await, and tests/types/nodenext-cjs type-checks the require().
# No entrypoint is excluded.
"$bin/attw" "$tarball" --ignore-rules cjs-resolves-to-esm --no-color

section "fresh project"
app="$work/app"
mkdir "$app"
(
  cd "$app"
  npm init -y >/dev/null # writes "type": "commonjs", as a new user's project has
  # A local tarball without dependencies: --offline keeps npm away from the registry.
  npm install --offline --no-audit --no-fund --loglevel=warn "$tarball"
)
# The type tests' one other input, Node's types: the workspace's pinned @types/node (a tool, like tsc).
ln -s "$root/node_modules/@types" "$app/node_modules/@types"
echo "  installed okta-directory into $app"
(cd "$app" && npx --no okta-directory version && npx --no okta-directory sync --help | grep -q -- --resume && echo "  npx okta-directory runs from the install (shebang, mode, bin entry)")

section "snippets: every code block of README.md, js/README.md, docs/*.md (Node $(node --version); docs/snippets.md)"
node --test "$here/snippets.test.mjs" >/dev/null || { node --test "$here/snippets.test.mjs"; exit 1; }
echo "  ok   the runner's own test (each kind of bad block fails it)"
node "$here/snippets.mjs" "$app" README.md js/README.md docs/*.md

section "Vite build (tests/package/vite-app) in Chromium"
mkdir "$work/vite"
cp "$here"/vite-app/* "$work/vite/"
ln -s "$app/node_modules" "$work/vite/node_modules"
# vite from the workspace (a tool); the app and the package it resolves are the temp folder's.
"$bin/vite" build --logLevel error "$work/vite"
node "$here/vite-chromium.mjs" "$work/vite/dist" "$app/node_modules/okta-directory/wasm-claims/okta_directory_bg.wasm"

section "types per resolver (tests/types/*, against the installed tarball)"
for dir in "$root"/tests/types/*/; do
  name="$(basename "$dir")"
  cp -r "$dir" "$app/types-$name"
  "$bin/tsc" -p "$app/types-$name" # set -e: a type error stops the run here
  echo "  ok   $name"
done

section "Worker template: its own npm test, from a copy outside the repository"
# The template as a user copies it: okta-directory from the tarball instead of its in-repo file: link;
# its devDependencies are tools (wrangler, and what its test harness imports: esbuild, miniflare),
# linked from the workspace's pinned copies rather than fetched (the run stays offline).
worker="$work/worker"
mkdir "$worker"
tar -C templates/worker --exclude=node_modules --exclude=.wrangler --exclude=.dev.vars -cf - . | tar -C "$worker" -xf -
(
  cd "$worker"
  npm pkg set "dependencies.okta-directory=file:$tarball"
  npm pkg delete devDependencies
  npm install --offline --no-audit --no-fund --loglevel=warn
)
for tool in $(node -p 'Object.keys(require("./templates/worker/package.json").devDependencies ?? {}).join(" ")') esbuild miniflare; do
  if [[ -e "$worker/node_modules/$tool" ]]; then continue; fi
  if [[ -e "$root/node_modules/$tool" ]]; then
    mkdir -p "$(dirname "$worker/node_modules/$tool")"
    ln -s "$root/node_modules/$tool" "$worker/node_modules/$tool"
  else
    echo "  $tool: not in the workspace (not needed by the tests)"
  fi
done
echo "  copied templates/worker to $worker, okta-directory from $(basename "$tarball")"
(cd "$worker" && npm test)
# And its type check, where the SDK now resolves from the installed tarball's Workers entry.
(cd "$worker" && node node_modules/typescript/bin/tsc -p tsconfig.json && echo "  tsc -p tsconfig.json: the Worker's JavaScript type-checks against the packed SDK")
