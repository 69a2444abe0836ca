"""Where a wasm module's code is, by function and by crate: each function body's size (raw and zlib -9
alone) keyed by its name from the module's `name` section, demangled, grouped by its crate (the first
path segment; trait impls by the crate of the implementing type). Needs a module that keeps its names:

    bash scripts/wasm-names.sh claims      # writes .cache/names/claims.wasm (same build, names kept)
    python3 bench/wasm_functions.py .cache/names/claims.wasm [--top 40] [--grep PATTERN]
"""
import re
import sys
import zlib
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from wasm_sections import leb, sections  # noqa: E402


def names(data):
    """Function index -> name, from the `name` custom section (subsection 1)."""
    out = {}
    for sid, p in sections(data):
        if sid != 0:
            continue
        n, i = leb(p, 0)
        if p[i : i + n] != b"name":
            continue
        i += n
        while i < len(p):
            sub = p[i]
            size, j = leb(p, i + 1)
            if sub == 1:
                count, k = leb(p, j)
                for _ in range(count):
                    idx, k = leb(p, k)
                    ln, k = leb(p, k)
                    out[idx] = p[k : k + ln].decode("utf-8", "replace")
                    k += ln
            i = j + size
    return out


def imported_functions(data):
    """How many functions the module imports (their indices come first)."""
    for sid, p in sections(data):
        if sid != 2:
            continue
        count, i = leb(p, 0)
        funcs = 0
        for _ in range(count):
            for _ in range(2):
                ln, i = leb(p, i)
                i += ln
            kind = p[i]
            i += 1
            if kind == 0:
                _, i = leb(p, i)
                funcs += 1
            elif kind == 1:
                i += 1
                flags, i = leb(p, i + 0)
                _, i = leb(p, i)
                if flags & 1:
                    _, i = leb(p, i)
            elif kind == 2:
                flags, i = leb(p, i)
                _, i = leb(p, i)
                if flags & 1:
                    _, i = leb(p, i)
            elif kind == 3:
                i += 2
        return funcs
    return 0


def bodies(data):
    """The code section's function bodies, in order."""
    for sid, p in sections(data):
        if sid != 10:
            continue
        count, i = leb(p, 0)
        for _ in range(count):
            size, j = leb(p, i)
            yield p[j : j + size]
            i = j + size


def demangle(name):
    """Legacy Rust mangling (`_ZN…E`) to a path; other names unchanged."""
    if not name.startswith("_ZN"):
        return name
    i, parts = 3, []
    while i < len(name) and name[i].isdigit():
        j = i
        while name[j].isdigit():
            j += 1
        n = int(name[i:j])
        parts.append(name[j : j + n])
        i = j + n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    path = "::".join(parts)
    for a, b in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("$C$", ","), ("..", "::"),
                 ("$u7b$", "{"), ("$u7d$", "}"), ("$u5b$", "["), ("$u5d$", "]"), ("$BP$", "*"), ("$u27$", "'")):
        path = path.replace(a, b)
    return path


def crate_of(path):
    """The crate a function belongs to: the implementing type's crate for `<T as Trait>` items."""
    p = re.sub(r"^(?:[<&\[]|mut |dyn )+", "", path)
    return re.split(r"::|[ <>,\[\]]", p, maxsplit=1)[0] or "?"


def main():
    args = sys.argv[1:]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 40
    pattern = re.compile(args[args.index("--grep") + 1]) if "--grep" in args else None
    data = Path(args[0]).read_bytes()
    nm = names(data)
    base = imported_functions(data)
    rows = []
    for k, body in enumerate(bodies(data)):
        name = demangle(nm.get(base + k, f"func{base + k}"))
        rows.append((name, len(body), len(zlib.compress(body, 9))))
    total = sum(r[1] for r in rows)
    print(f"{len(rows)} functions, {total:,} bytes of bodies (each body compressed alone; sums overstate)")
    by = defaultdict(lambda: [0, 0, 0])
    for name, raw, z in rows:
        c = by[crate_of(name)]
        c[0] += raw
        c[1] += z
        c[2] += 1
    print(f"\n{'crate':40} {'raw':>9} {'zlib':>8} {'fns':>5}")
    for crate, (raw, z, n) in sorted(by.items(), key=lambda kv: -kv[1][0])[:30]:
        print(f"{crate[:40]:40} {raw:>9,} {z:>8,} {n:>5}")
    sel = [r for r in rows if pattern is None or pattern.search(r[0])]
    print(f"\nlargest functions{' matching ' + pattern.pattern if pattern else ''}:")
    for name, raw, z in sorted(sel, key=lambda r: -r[1])[:top]:
        print(f"{raw:>8,} {z:>7,}  {name[:150]}")
    if pattern:
        print(f"matching: {len(sel)} functions, {sum(r[1] for r in sel):,} raw")


if __name__ == "__main__":
    main()
