#!/usr/bin/env python3
"""Builds the Debian package-description corpus and its known-answer questions.

Input: the Debian archive's package index and English descriptions for one suite, as apt keeps
them (lz4-compressed, as on a Debian machine with the default apt settings, or plain text):

  Packages      dists/<suite>/main/binary-amd64/Packages
  Translation   dists/<suite>/main/i18n/Translation-en  (holds the long descriptions)

Get them, without touching the system's own apt lists, with:

  mkdir -p /tmp/aptlists/partial
  apt-get update -o Acquire::Languages=en -o Dir::State::Lists=/tmp/aptlists

Output (deterministic: the same inputs give byte-identical files):

  passages.jsonl.gz   one JSON object per line: id, package, section, synopsis, description,
                      depends, text
  questions.jsonl     one JSON object per line: id, question, answer, answer_id, supporting_ids, hops

Usage: build-debian-corpus.py PACKAGES TRANSLATION_EN OUT_DIR
See README.md next to the output for the selection rules.
"""
import gzip
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict

SEED = "dspy4j-debian-corpus-v1"
APPLICATIONS = 3400          # packages sampled by seeded hash, before dependency libraries are added
SINGLE_HOP = 300
TWO_HOP = 100
MIN_WORDS = 40               # a long description at least this long
MAX_WORDS = 220              # ...and at most this long, so a passage fits the embedder's 256 tokens
UBIQUITOUS = 150             # libraries more packages than this depend on are left out
EXCLUDED_SUFFIXES = ("-dev", "-doc", "-dbg", "-data", "-common", "-l10n", "-examples", "-tests", "-dbgsym")
EXCLUDED_SECTIONS = {"localization", "debug", "oldlibs", "kernel"}


def read(path):
    if path.endswith(".lz4"):
        return subprocess.run(["lz4", "-dc", path], check=True, capture_output=True).stdout.decode("utf-8")
    with open(path, encoding="utf-8") as f:
        return f.read()


def stanzas(text):
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        fields, key = {}, None
        for line in block.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        yield fields


def long_description(raw):
    """Debian's description syntax: ' .' separates paragraphs, two leading spaces mean verbatim."""
    paragraphs, current = [], []
    for line in raw.split("\n")[1:]:
        if line.strip() == ".":
            if current:
                paragraphs.append(" ".join(current))
            current = []
        elif line.startswith("  "):
            current.append(line.strip())
        else:
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(p for p in paragraphs if p)


def depends(field):
    """Plain package names of a Depends field; alternatives ('a | b') and virtual choices dropped."""
    names = []
    for clause in field.split(","):
        clause = clause.strip()
        if not clause or "|" in clause:
            continue
        name = re.split(r"[\s(:\[]", clause, maxsplit=1)[0]
        if name and name not in names:
            names.append(name)
    return names


def rank(name):
    return hashlib.sha256((SEED + ":" + name).encode("utf-8")).hexdigest()


def is_library(p):
    return p["section"] == "libs" and p["package"].startswith("lib")


def stem(name):
    """'libfoo2.1' and 'foo-utils' share the stem 'foo': a hint that names give the answer away."""
    return re.sub(r"^lib|[-.0-9]+.*$|-.*$", "", name)


def main(packages_path, translation_path, out_dir):
    descriptions = {}
    for t in stanzas(read(translation_path)):
        if "Description-en" in t:
            descriptions[(t["Package"], t.get("Description-md5", ""))] = t["Description-en"]

    archive = {}
    reverse = Counter()
    for s in stanzas(read(packages_path)):
        name = s["Package"]
        raw = descriptions.get((name, s.get("Description-md5", "")))
        if raw is None:
            continue
        deps = depends(s.get("Depends", "") + ("," + s["Pre-Depends"] if "Pre-Depends" in s else ""))
        for d in deps:
            reverse[d] += 1
        archive[name] = {
            "package": name,
            "section": s.get("Section", "").split("/")[-1],
            "synopsis": raw.split("\n", 1)[0].strip(),
            "description": long_description(raw),
            "depends": deps,
        }

    synopsis_count = Counter(p["synopsis"].lower() for p in archive.values())
    description_count = Counter(p["description"] for p in archive.values())

    def eligible(p):
        words = len(p["description"].split())
        return (MIN_WORDS <= words <= MAX_WORDS
                and not p["package"].endswith(EXCLUDED_SUFFIXES)
                and p["section"] not in EXCLUDED_SECTIONS
                and "transitional" not in p["synopsis"].lower()
                and "dummy package" not in p["description"].lower()
                and synopsis_count[p["synopsis"].lower()] == 1
                and description_count[p["description"]] == 1
                and reverse[p["package"]] <= UBIQUITOUS)

    pool = sorted((p for p in archive.values() if eligible(p)), key=lambda p: rank(p["package"]))
    chosen = {}
    for p in pool:
        if len(chosen) >= APPLICATIONS:
            break
        if not is_library(p):
            chosen[p["package"]] = p
    # the libraries the chosen packages depend on, when eligible: the second hops
    eligible_names = {p["package"] for p in pool}
    for p in list(chosen.values()):
        for d in p["depends"]:
            if d in eligible_names and d not in chosen and is_library(archive[d]):
                chosen[d] = archive[d]

    passages = []
    for name in sorted(chosen):
        p = chosen[name]
        in_corpus = [d for d in p["depends"] if d in chosen]
        text = p["package"] + ": " + p["synopsis"] + "\n\n" + p["description"] + "\n\nSection: " + p["section"]
        if p["depends"]:
            text += "\nDepends: " + ", ".join(p["depends"])
        passages.append({"id": name, "package": name, "section": p["section"], "synopsis": p["synopsis"],
                         "description": p["description"], "depends": p["depends"],
                         "depends_in_corpus": in_corpus, "text": text})

    by_id = {p["id"]: p for p in passages}
    two_hop = []
    for p in sorted(passages, key=lambda p: rank("2:" + p["id"])):
        if len(two_hop) >= TWO_HOP:
            break
        libs = [d for d in p["depends_in_corpus"] if is_library(by_id[d])]
        if is_library(p) or len(p["depends_in_corpus"]) != 1 or len(libs) != 1:
            continue
        lib = by_id[libs[0]]
        if stem(lib["id"]) and stem(lib["id"]) in p["id"] or stem(p["id"]) and stem(p["id"]) in lib["id"]:
            continue  # the names alone would give the library away
        two_hop.append({
            "question": "A Debian package is described as \"" + lower_first(p["synopsis"]) + "\". "
                        + "It depends on a shared library described in this corpus: what is that library for?",
            "answer": lib["synopsis"], "answer_id": lib["id"], "supporting_ids": [p["id"], lib["id"]], "hops": 2})
    used = {q["supporting_ids"][0] for q in two_hop}
    single_hop = []
    for p in sorted(passages, key=lambda p: rank("1:" + p["id"])):
        if len(single_hop) >= SINGLE_HOP:
            break
        if p["id"] in used or is_library(p):
            continue
        single_hop.append({"question": "Which Debian package fits this description: " + lower_first(p["synopsis"]).rstrip(".") + "?",
                           "answer": p["id"], "answer_id": p["id"], "supporting_ids": [p["id"]], "hops": 1})

    with gzip.GzipFile(out_dir + "/passages.jsonl.gz", "wb", mtime=0) as out:
        for p in passages:
            out.write((json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    with open(out_dir + "/questions.jsonl", "w", encoding="utf-8") as out:
        for i, q in enumerate(single_hop + two_hop):
            q = {"id": ("q1-" if q["hops"] == 1 else "q2-") + format(i, "04d"), **q}
            out.write(json.dumps(q, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(passages)} passages ({sum(is_library(p) for p in passages)} libraries), "
          f"{len(single_hop)} single-hop and {len(two_hop)} two-hop questions, from {len(archive)} packages "
          f"({len(pool)} eligible)", file=sys.stderr)


def lower_first(text):
    # 'GNU Bourne Again SHell' stays as is: only a capitalised ordinary first word is lowered
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower():
        first = first.lower()
    return (first + " " + rest).strip()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
