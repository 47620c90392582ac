"""Speed benchmark for nhsx (a script, not a test): prints words per second and ratios, writes JSON.

    python bench/bench.py [--words 2000000] [--repeats 3] [--out bench/results.json]

The corpus is built by sampling and recombining paragraphs of seeds/, so it reads like the real thing.
Every figure is the median of the repeats, and ratios compare figures measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import spacy

from nhsx.gazetteer import builtin_dir, gazetteer_files
from nhsx.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPHS_PER_DOC = 12


def build_corpus(words: int, seed: int = 7) -> list[str]:
    paragraphs = [
        p.strip() for f in sorted((ROOT / "seeds").glob("*.*")) for p in f.read_text(encoding="utf-8").split("\n\n")
    ]
    paragraphs = [p for p in paragraphs if len(p.split()) > 5]
    rng = random.Random(seed)
    docs, total = [], 0
    while total < words:
        doc = "\n\n".join(rng.choice(paragraphs) for _ in range(PARAGRAPHS_PER_DOC))
        docs.append(doc)
        total += len(doc.split())
    return docs


def median_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def consume(nlp, docs: list[str]) -> None:
    for _ in nlp.pipe(docs, batch_size=64):
        pass


def command_seconds(args: list[str], repeats: int) -> float:
    return median_seconds(lambda: subprocess.run(args, check=True, capture_output=True), repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()

    docs = build_corpus(args.words)
    words = sum(len(d.split()) for d in docs)
    without_ods = [p for p in gazetteer_files([builtin_dir()]) if "ods" not in p.parts]
    pipelines = {
        "tokenizer only (blank English)": spacy.blank("en"),
        "nhsx, all built-in gazetteers": build_pipeline(),
        "nhsx, without the ODS organisations": build_pipeline(without_ods, builtins=False),
    }
    rows = []
    for name, nlp in pipelines.items():
        nlp("warm up")
        seconds = median_seconds(lambda: consume(nlp, docs), args.repeats)
        rows.append({"what": name, "seconds": round(seconds, 3), "words_per_second": round(words / seconds)})
    base = rows[0]["words_per_second"]
    for row in rows:
        row["ratio_to_tokenizer"] = round(row["words_per_second"] / base, 3)

    small = ROOT / "seeds" / "07-regulation.txt"
    startup = {
        "nhsx --help": command_seconds([sys.executable, "-m", "nhsx", "--help"], args.repeats),
        "nhsx extract one small file": command_seconds(
            [sys.executable, "-m", "nhsx", "extract", str(small), "-f", "json"], args.repeats
        ),
    }
    result = {
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}",
        "documents": len(docs),
        "words": words,
        "repeats": args.repeats,
        "throughput": rows,
        "startup_seconds": {k: round(v, 3) for k, v in startup.items()},
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{len(docs)} documents, {words:,} words, median of {args.repeats} runs ({result['machine']})")
    print(f"{'what':<40} {'words/s':>12} {'ratio':>7}")
    for row in rows:
        print(f"{row['what']:<40} {row['words_per_second']:>12,} {row['ratio_to_tokenizer']:>7.3f}")
    for name, seconds in result["startup_seconds"].items():
        print(f"{name:<40} {seconds:>11.3f}s")


if __name__ == "__main__":
    main()
