"""What the table generators (gen-confusables.py, gen-normal-forms.py, gen-scripts.py) share: the pinned
crate's table source, and the encoding of Rust string and byte literals (varints, escaped characters,
lines continued with `\\`)."""
import json
import subprocess
from pathlib import Path


def crate_tables(name):
    """The text of `src/tables.rs` of the crate version Cargo.lock pins, and that version."""
    meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"], text=True))
    crate = next(p for p in meta["packages"] if p["name"] == name)
    return (Path(crate["manifest_path"]).parent / "src" / "tables.rs").read_text(), crate["version"]


def lit(c):
    """One code point inside a Rust string literal."""
    # Spaces escaped too: a literal is wrapped with `\` line continuations, which skip leading spaces.
    return chr(c) if 0x20 < c < 0x7F and chr(c) not in '"\\' else f"\\u{{{c:x}}}"


def varint(n):
    """LEB128: seven bits per byte, the high bit set on every byte but the last."""
    out = []
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return out


def wrapped(tokens, width=96):
    """A literal's escaped pieces joined into lines continued with `\\` (Rust skips the newline and indent)."""
    lines, line = [], ""
    for t in tokens:
        if len(line) + len(t) > width:
            lines.append(line)
            line = ""
        line += t
    lines.append(line)
    return "\\\n    ".join(lines)
