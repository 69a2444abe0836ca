#!/usr/bin/env python3
"""Checks the Rust core's layering (docs/architecture.md, "Which room may import what").

Reads every `crate::…`, `super::…` and `self::…` path in src/ (outside `#[cfg(test)]` modules) and
fails when a room imports a room its row does not allow, or when files or folders of one folder
import each other in a circle (at any depth). Usage: python3 scripts/check-layers.py [-v]
"""
import os
import re
import sys
from collections import defaultdict

ROOT = "src"
# docs/architecture.md's table: a room may import only these (src/wasm may import every room).
ALLOWED = {
    "readiness": {"directory", "claims", "profile", "records", "text", "error", "sort"},
    "sync": {"directory", "profile", "records", "hash", "timestamp", "error", "sort"},
    "directory": {"profile", "records", "hash", "text", "timestamp", "varint", "error", "sort"},
    "claims": {"profile", "text", "date", "error", "sort"},
    "profile": {"text", "date", "records", "varint", "error", "sort"},
    "records": set(),
    "hash": set(),
    "text": {"sort"},
    "date": set(),
    "timestamp": set(),
    "varint": {"error"},
    "error": set(),
    "sort": set(),
}
PATH = re.compile(r"\b(crate|super|self)::([\w:]*)(\{[^;]*?\})?")


def module_of(path):
    """The module path of a source file: src/a/b.rs and src/a/b/mod.rs are ("a", "b")."""
    parts = path[len(ROOT) + 1 : -3].split("/")
    return tuple(parts[:-1] if parts[-1] in ("mod", "lib") else parts)


def without_tests(text):
    """The text without line comments and `#[cfg(test)] mod … { … }` blocks (braces counted)."""
    text = re.sub(r"//[^\n]*", "", text)
    while m := re.search(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", text):
        depth, end = 1, m.end()
        while depth and end < len(text):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        text = text[: m.start()] + text[end:]
    return text


def main():
    sources = {}
    for d, _, names in os.walk(ROOT):
        for n in names:
            if n.endswith(".rs") and n != "tests.rs":
                p = os.path.join(d, n)
                with open(p, encoding="utf-8") as f:
                    sources[module_of(p)] = without_tests(f.read())

    def resolve(segs):
        for i in range(len(segs), 0, -1):
            if tuple(segs[:i]) in sources:
                return tuple(segs[:i])
        return None

    edges = defaultdict(set)
    for me, text in sources.items():
        for m in PATH.finditer(text):
            head, path, group = m.groups()
            segs = [s for s in path.split("::") if s]
            start = [] if head == "crate" else list(me[:-1]) if head == "super" else list(me)
            while segs and segs[0] == "super":
                start, segs = start[:-1], segs[1:]
            items = [i.strip().split(" as ")[0] for i in group.strip("{}").split(",")] if group else [""]
            for item in items:
                tail = [s.strip("{} ") for s in item.split("::") if s.strip("{} ") not in ("", "self")]
                target = resolve(start + segs + tail)
                if target is not None and target != me:
                    edges[me].add(target)

    failures = []
    for a, targets in edges.items():
        for b in targets:
            ra, rb = a[0], b[0]
            if ra != rb and ra != "wasm" and rb not in ALLOWED.get(ra, set()):
                failures.append(f"{'::'.join(a)} imports {'::'.join(b)}: {ra}/ may not import {rb}")

    def circles(parent):
        """Circles among the children of `parent` (files or folders), imports of their contents included."""
        k = len(parent)
        graph = defaultdict(set)
        for a, targets in edges.items():
            for b in targets:
                if a[:k] == parent == b[:k] and len(a) > k and len(b) > k and a[: k + 1] != b[: k + 1]:
                    graph[a[: k + 1]].add(b[: k + 1])
        index, low, stack, on, found = {}, {}, [], set(), []

        def visit(n):
            index[n] = low[n] = len(index)
            stack.append(n)
            on.add(n)
            for w in graph[n]:
                if w not in index:
                    visit(w)
                    low[n] = min(low[n], low[w])
                elif w in on:
                    low[n] = min(low[n], index[w])
            if low[n] == index[n]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == n:
                        break
                if len(comp) > 1:
                    found.append(comp)

        for n in list(graph):
            if n not in index:
                visit(n)
        return found

    sys.setrecursionlimit(10000)
    for parent in sorted({m[:i] for m in sources for i in range(len(m))}):
        for comp in circles(parent):
            failures.append("circle: " + " ↔ ".join(sorted("::".join(c) for c in comp)))

    if "-v" in sys.argv:
        rooms = defaultdict(set)
        for a, targets in edges.items():
            rooms[a[0]] |= {b[0] for b in targets if b[0] != a[0]}
        for r in sorted(rooms):
            print(f"{r} -> {', '.join(sorted(rooms[r]))}")
    for f in sorted(failures):
        print(f)
    count = sum(len(t) for t in edges.values())
    print(f"{len(sources)} modules, {count} imports between them: {len(failures)} layering failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
