"""Where a wasm module's bytes are: code and data sections (raw and zlib -9 alone), and an estimate of
the Unicode tables of the crates the claims pipeline links (each table laid out as rustc stores it,
compressed alone). Run after the build, from the repository root:

    python3 bench/wasm_sections.py pkg-claims/okta_directory_bg.wasm
"""
import json
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path


def leb(b, i):
    """Reads one unsigned LEB128 at i; returns (value, next index)."""
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def sections(data):
    """Yields (id, payload) for each section of a wasm binary."""
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, p = leb(data, pos + 1)
        yield sid, data[p : p + size]
        pos = p + size


def gz(b):
    return len(zlib.compress(b, 9))


def crate_dir(name):
    """The source folder of a dependency, from cargo metadata (no machine paths assumed)."""
    meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"], text=True))
    for pkg in meta["packages"]:
        if pkg["name"] == name:
            return Path(pkg["manifest_path"]).parent
    raise SystemExit(f"{name} is not a dependency")


CHAR = r"'(\\u\{[0-9a-fA-F]+\}|.)'"


def cp(tok):
    return int(tok[3:-1], 16) if tok.startswith("\\u{") else ord(tok)


def table_body(src, name):
    m = re.search(r"(?:const|static) " + name + r": &(?:'static )?\[[^\n]*\] = &\[(.*?)\n\s*\];", src, re.S)
    return m.group(1) if m else ""


def numbers(body):
    return [cp(a) if a else int(b, 0) for a, b in re.findall(CHAR + r"|\b(0x[0-9a-fA-F]+|\d+)\b", body)]


def unicode_tables():
    """(table, raw bytes, zlib bytes) for the big tables the claims pipeline can reach."""
    out = []
    norm = (crate_dir("unicode-normalization") / "src" / "tables.rs").read_text()
    layouts = {"CHARS": "I", "SALT": "H", "KV": None}
    for name in re.findall(r"pub\(crate\) const ([A-Z_]+): &\[", norm):
        if name.startswith("CJK_COMPAT"):
            continue  # only for the svar (standardized variants) API, which the pipeline does not call
        vals = numbers(table_body(norm, name))
        kind = name.rsplit("_", 1)[1]
        if kind == "KV" and "DECOMPOSED" in name:
            raw = b"".join(struct.pack("<IHH", *vals[i : i + 3]) for i in range(0, len(vals) - 2, 3))
        else:
            raw = struct.pack("<" + ("H" if layouts.get(kind) == "H" else "I") * len(vals), *vals)
        out.append((f"unicode-normalization {name}", len(raw), gz(raw)))
    sec = (crate_dir("unicode-security") / "src" / "tables.rs").read_text()
    i = sec.index("const CONFUSABLES: &'static [(char, &'static [char])]")
    entries = re.findall(r"\(" + CHAR + r",\s*&\[(.*?)\]\)", sec[i : sec.index("\n    ];", i)], re.S)
    keys, targets = b"", b""
    for k, t in entries:
        cs = [cp(x) for x in re.findall(CHAR, t)]
        keys += struct.pack("<III", cp(k), 0x100000 + len(targets), len(cs))
        targets += struct.pack("<" + "I" * len(cs), *cs)
    out.append((f"unicode-security CONFUSABLES ({len(entries)} entries)", len(keys + targets), gz(keys + targets)))
    scr = (crate_dir("unicode-script") / "src" / "tables.rs").read_text()
    n = len(re.findall(r"\(" + CHAR + r",\s*" + CHAR + r",\s*Script::", table_body(scr, "SCRIPTS")))
    out.append((f"unicode-script SCRIPTS ({n} ranges, 12 B each)", n * 12, None))
    return out


def main():
    data = Path(sys.argv[1]).read_bytes()
    print(f"{sys.argv[1]}: {len(data):,} bytes, zlib -9 {gz(data):,}")
    code = b"".join(p for sid, p in sections(data) if sid == 10)
    dat = b"".join(p for sid, p in sections(data) if sid == 11)
    print(f"  code section {len(code):,} raw, {gz(code):,} zlib; data section {len(dat):,} raw, {gz(dat):,} zlib")
    text = re.findall(rb"[\x20-\x7e]{6,}", dat)
    print(f"  ASCII text in the data (names, countries, street types, messages): {sum(map(len, text)):,} raw, {gz(b''.join(text)):,} zlib")
    print("  Unicode tables of the crates (estimate: each laid out as rustc stores it, compressed alone; since")
    print("  src/text/{normal_forms,script,confusables}_table.rs replace them, only core's remain linked):")
    for name, raw, z in unicode_tables():
        print(f"    {name:60} {raw:>8,} raw  {'' if z is None else f'{z:>7,} zlib'}")


if __name__ == "__main__":
    main()
