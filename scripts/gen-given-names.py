"""Writes src/claims/compare/names/given_names_table.rs: the engine's list of real given names (the
`DISTINCT_GIVEN_NAMES` and `PREFIX_NAME` twin rules: two different names of the list a letter or two apart
are two people, not a typo), front-coded.

Sources (both MIT-licensed PyPI packages, pinned below; see docs/claims-decisions.md):
- `names` 0.3.0: the US Census Bureau's 1990 first-name frequency lists (public domain), 1,219 male and
  4,275 female names with their rank;
- `faker` (pinned): the first names of its person providers for every locale written in Latin script
  (≈ 60 locales: European, Latin American, Turkish, Azerbaijani, Indonesian, Vietnamese, Irish, Icelandic,
  African and South Asian English…), folded;
- the hand-curated names of src/claims/compare/names/given_names_curated.txt (always kept).

Selection (what a name buys): names are ranked by how common they are (1000 / census rank, plus one per
faker locale that lists it, three for the broad US `en` list), the first `TOP` are taken with the curated ones, and a name is kept only when
another kept name is within the rules' reach (one edit, two edits from six letters, or the name plus one
letter): a name with no near neighbour on the list can never make a pair refused, so it would cost bytes
for nothing. Every pair of the sources that is one name and its masculine or feminine form plus `a`
or `n` is kept too, however rare (Radovan ~ Radovana): front-coded, such a pair costs little more than
one name.

    python3 scripts/gen-given-names.py            # downloads the pinned packages, rewrites the table
    python3 scripts/gen-given-names.py --check    # fails when the committed table is not current
"""
import importlib
import io
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

from gen_tables import wrapped

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "src/claims/compare/names/given_names_curated.txt"
OUT = ROOT / "src/claims/compare/names/given_names_table.rs"
PINS = ["names==0.3.0", "faker==40.63.0"]
TOP = 2800
# The `en` locale is a broad US list that holds the names given since 2000 (Jayden, Kaylee), which the 1990
# census does not: it counts as three locales.
EN_WEIGHT = 3.0
ATTRS = ["first_names", "first_names_male", "first_names_female", "first_names_nonbinary"]
SPECIAL = {"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i", "þ": "th", "ð": "d", "ħ": "h"}


def fold(name):
    """Lower case ASCII letters, diacritics and hyphens, spaces, apostrophes removed; `None` for a name
    with any other character (another script, a digit)."""
    s = "".join(SPECIAL.get(c, c) for c in name.strip().lower())
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.replace("-", "").replace(" ", "").replace("'", "").replace("\u2019", "")
    return s if s and s.isascii() and s.isalpha() else None


def sources(tmp):
    """(folded name → popularity score) from the pinned packages, downloaded into `tmp`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, *PINS],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    score = defaultdict(float)
    census = next(Path(tmp).glob("names-*.tar.gz"))
    with tarfile.open(census) as tar:
        for member in tar.getmembers():
            if member.name.endswith((".male.first", ".female.first")):
                text = tar.extractfile(member).read().decode()
                for rank, line in enumerate(text.splitlines(), 1):
                    key = fold(line.split()[0])
                    if key:
                        score[key] = max(score[key], 1000.0 / rank)
    wheel = next(Path(tmp).glob("faker-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(Path(tmp) / "faker")
    sys.path.insert(0, str(Path(tmp) / "faker"))
    base = Path(tmp) / "faker/faker/providers/person"
    for loc in sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("__")):
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        names = set()
        for attr in ATTRS:
            value = next((c.__dict__[attr] for c in provider.__mro__ if attr in c.__dict__), None)
            if isinstance(value, (list, tuple, dict)):
                names.update(n for n in value if isinstance(n, str))
        for key in {fold(n) for n in names} - {None}:
            score[key] += EN_WEIGHT if loc == "en" else 1.0
    return score


def deletions(w):
    return {w[:i] + w[i + 1 :] for i in range(len(w))}


def osa(a, b):
    """Edit distance with adjacent transpositions (the engine's `edit_distance`)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def near(names):
    """The names with another of `names` within the rules' reach."""
    def keys(n):
        ks = {n} | deletions(n)
        return ks | {y for x in deletions(n) for y in deletions(x)} if len(n) >= 6 else ks

    index = defaultdict(set)
    for n in names:
        for k in keys(n):
            index[k].add(n)
    kept = set()
    for n in names:
        for m in set().union(*(index[k] for k in keys(n))) - {n}:
            d = osa(n, m)
            if d == 1 or (d == 2 and min(len(n), len(m)) >= 6) or m.startswith(n) or n.startswith(m):
                kept.add(n)
                break
    return kept


def gendered_pairs(score):
    """Every name of the sources whose masculine or feminine form is it plus `a` or `n` (Radovan ~
    Radovana, Brenda ~ Brendan), with that form: the shape twins are named in, and cheap to
    keep (front-coded, the longer costs a byte or two after the shorter)."""
    return {n for s in score if len(s) >= 3 for n in (s, *(s + c for c in "an" if s + c in score))
            if any(s + c in score for c in "an")}


def front_coded(names, curated):
    """Each name as its shared prefix length with the previous one (a digit `0`–`9`, or `A`–`J` for a
    curated name) and the rest."""
    out, prev = [], ""
    for n in names:
        p = 0
        while p < min(len(prev), len(n), 9) and prev[p] == n[p]:
            p += 1
        out.append(f"{chr(ord('A') + p) if n in curated else p}{n[p:]}")
        prev = n
    return "".join(out)


def table():
    curated = {n for n in CURATED.read_text().split() if n}
    assert all(fold(n) == n for n in curated), "curated names are folded"
    with tempfile.TemporaryDirectory() as tmp:
        score = sources(tmp)
    ranked = sorted((n for n in score if len(n) >= 2), key=lambda n: (-score[n], n))
    names = sorted(near(set(ranked[:TOP]) | curated) | curated | gendered_pairs(score))
    coded = front_coded(names, curated)
    return "\n".join(
        [
            "// @generated by scripts/gen-given-names.py from " + ", ".join(PINS) + " and given_names_curated.txt. Do not edit.",
            "",
            f"/// The {len(names)} folded given names, sorted, front-coded: each is how many leading letters it",
            "/// shares with the previous name (at most 9: a digit, or `A` + it for a hand-curated name) and its",
            "/// remaining letters.",
            f'pub(super) const FRONT_CODED: &str =\n    "{wrapped(list(coded))}";',
            "",
            "/// How many names [`FRONT_CODED`] holds, and how many of them are hand-curated.",
            f"pub(super) const COUNT: usize = {len(names)};",
            f"pub(super) const CURATED: usize = {len(curated)};",
            "",
        ]
    )


if __name__ == "__main__":
    text = table()
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT.relative_to(ROOT)} is not current: run python3 scripts/gen-given-names.py")
        print("given-name table current")
    else:
        OUT.write_text(text)
        print(f"wrote {OUT.relative_to(ROOT)}")
