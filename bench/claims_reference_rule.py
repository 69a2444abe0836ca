#!/usr/bin/env python3
"""The issue's reference rule, like for like with our `balanced` operating point on the same pairs.

Issue 13 compares the engine with "a 150-line Python rule from off-the-shelf parts (Jaro-Winkler
>= 0.92, nickname list, first token; exact birthdate)". This is that rule, built from maintained PyPI
parts with pinned versions, and nothing of ours:

- given name: the first token of each side (so MARY ELIZABETH is compared as Mary), folded (NFKD,
  combining marks dropped, lower case, punctuation to spaces); agrees when equal, when one is a
  nickname of the other or both are nicknames of one name (`nicknames`' NickNamer), or when
  Jaro-Winkler (`jellyfish`) is >= 0.92;
- family name: the whole name folded, spaces and hyphens removed; agrees when Jaro-Winkler >= 0.92;
- birthdate: read as a calendar date (ISO 8601, YYYYMMDD, else `python-dateutil`, month first) and
  equal; an unreadable date does not agree;
- `match` when all three agree, else `no_match` (a missing value does not agree). It never says
  `review` and reads no other claim (no address, phone or email).

Our row runs the same pairs through `node js/bin/okta-directory.mjs match` at `balanced`: on FEBRL1/2
with bench/claims_febrl.py's policy (its exact pairs, built by its `febrl_pairs`), on the noisy
development set with the default policy. Per data set it prints genuine pairs with the three core
claims present decided `match`, the false-match rate over all negatives, and the false matches of each
hard-negative class. FEBRL3/4 and any other data set are never loaded.

    pip install recordlinkage==0.16 jellyfish==1.3.0 nicknames==1.0.1
    bash scripts/build.sh
    CLAIMS_DUMP=/tmp/held_out.jsonl cargo test --release --test claims_eval dump_held_out_split -- --ignored
    python3 bench/claims_reference_rule.py /tmp/held_out.jsonl   # without the path: FEBRL1/2 only
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

import jellyfish
from dateutil import parser as dateparser
from nicknames import NickNamer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from claims_febrl import core, febrl_pairs, point_policy, profile, verified  # noqa: E402

JW = 0.92
NICK = NickNamer()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fold(s):
    if not s:
        return ""
    s = "".join(c for c in unicodedata.normalize("NFKD", str(s)) if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in s.lower()).split())


def nicknames_agree(a, b):
    if b in NICK.nicknames_of(a) or a in NICK.nicknames_of(b):
        return True
    return bool((NICK.canonicals_of(a) | {a}) & (NICK.canonicals_of(b) | {b}))


def given_agrees(a, b):
    ta, tb = fold(a).split()[:1], fold(b).split()[:1]
    if not ta or not tb:
        return False
    ta, tb = ta[0], tb[0]
    return ta == tb or nicknames_agree(ta, tb) or jellyfish.jaro_winkler_similarity(ta, tb) >= JW


def family_agrees(a, b):
    fa, fb = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    return bool(fa) and bool(fb) and (fa == fb or jellyfish.jaro_winkler_similarity(fa, fb) >= JW)


def date(s):
    s = str(s).strip() if s else ""
    if not s:
        return None
    for f in (lambda: datetime.date.fromisoformat(s[:10]), lambda: datetime.datetime.strptime(s, "%Y%m%d").date(),
              lambda: dateparser.parse(s, dayfirst=False).date()):
        try:
            return f()
        except (ValueError, OverflowError, TypeError):
            continue
    return None


def reference(v, p):
    """The rule's decision for one pair: verified claims `v`, directory profile `p`."""
    d1, d2 = date(v.get("birthdate")), date(p.get("birthdate"))
    ok = (given_agrees(v.get("given_name"), p.get("firstName")) and family_agrees(v.get("family_name"), p.get("lastName"))
          and d1 is not None and d1 == d2)
    return "match" if ok else "no_match"


def balanced(lines, policy):
    """Our decisions at `balanced` for `lines` (dicts with id, verified, directory), by id."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pairs.jsonl")
        with open(path, "w") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")
        extra = []
        if policy is not None:
            pol = os.path.join(tmp, "policy.json")
            with open(pol, "w") as f:
                json.dump(policy, f)
            extra = ["--policy", pol]
        out = subprocess.run(["node", os.path.join(ROOT, "js/bin/okta-directory.mjs"), "match", *extra, path],
                             capture_output=True, text=True, check=True).stdout
    return {o["id"]: o.get("decision", "error") for o in map(json.loads, out.splitlines())}


def rows(data, cases, decide):
    """One table row: cases are (id, class, label, core, verified, directory)."""
    g = gm = n = fm = rev = 0
    by_class = {}
    for i, cls, label, is_core, v, p in cases:
        d = decide(i, v, p)
        rev += d == "review"
        if label:
            g += is_core
            gm += is_core and d == "match"
        else:
            n += 1
            fm += d == "match"
            if cls not in ("random", "random_pair"):
                by_class[cls] = by_class.get(cls, 0) + (d == "match")
    hard = sum(by_class.values())
    classes = ", ".join(f"{c} {k}" for c, k in sorted(by_class.items()) if k) or "none"
    return (f"{100 * gm / max(g, 1):.1f} % ({gm}/{g}) | {100 * fm / max(n, 1):.3f} % ({fm}/{n}) | {hard} | {classes} | "
            f"{100 * rev / max(len(cases), 1):.1f} %")


def main():
    sets = []
    pairs, _ = febrl_pairs()
    for data in ("febrl1", "febrl2"):
        cases = [(i, cls, label, core(verified(a), profile(b)), verified(a), profile(b))
                 for i, (name, cls, label, a, b) in enumerate(pairs) if name == data]
        sets.append((data, cases, point_policy("balanced")))
    if len(sys.argv) > 1:
        cases = []
        with open(sys.argv[1]) as f:
            for line in f:
                o = json.loads(line)
                cases.append((o["id"], o["class"], o["label"], o["core"], o["verified"], o["directory"]))
        sets.append(("noisy HELD_OUT", cases, None))
    print("| data | rule | genuine, core claims present → match | false-match rate | hard-negative false matches | "
          "by class | review share |")
    print("|---|---|---:|---:|---:|---|---:|")
    for data, cases, policy in sets:
        ours = balanced([{"id": i, "verified": v, "directory": p} for i, _, _, _, v, p in cases], policy)
        print(f"| {data} | reference rule | {rows(data, cases, lambda i, v, p: reference(v, p))} |")
        print(f"| {data} | ours, `balanced` | {rows(data, cases, lambda i, v, p: ours.get(i, 'error'))} |")


if __name__ == "__main__":
    sys.exit(main())
