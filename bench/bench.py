"""Speed and memory benchmark for nhsx (a script, not a test): prints a table, writes JSON.

    python bench/bench.py [--words 2000000] [--repeats 3] [--out bench/results.json]

The corpus is built by sampling and recombining paragraphs of seeds/, so it reads like the real thing.
It measures, in one run: (a) spaCy's blank English tokenizer alone, (b) nhsx with one worker, (c) with
two workers, one worker plus sentence co-occurrence, one worker without the ODS organisations, (d) peak resident memory of `nhsx extract` on
200 and on 2,000 documents, (e) start-up of `nhsx --help` and of `nhsx extract` on one small file.
Every figure is the median of the repeats; ratios compare figures measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from nhsx.cooccur import Cooccurrence
from nhsx.gazetteer import builtin_dir, gazetteer_files
from nhsx.parallel import process_parallel
from nhsx.pipeline import build_pipeline
from nhsx.records import Document

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


def build_corpus_docs(count: int, seed: int = 11) -> list[str]:
    """Exactly ``count`` recombined documents (for the memory runs)."""
    docs = build_corpus(count * 700, seed)
    while len(docs) < count:
        docs += build_corpus(700, seed + len(docs))
    return docs[:count]


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


def consume_workers(nlp, docs: list[str], workers: int, cooccurrence: bool = False) -> None:
    items = (Document(f"{i}.txt", text) for i, text in enumerate(docs))
    table = Cooccurrence("sentence")
    for result in process_parallel(nlp, items, workers):
        if cooccurrence:
            table.add_document(result.mentions)
    if cooccurrence:
        table.pairs()


def command_seconds(args: list[str], repeats: int) -> float:
    return median_seconds(lambda: subprocess.run(args, check=True, capture_output=True), repeats)


PEAK_MEMORY = """
import resource, sys
from nhsx.cli import main
sys.argv = ["nhsx", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def peak_memory_mib(folder: Path) -> float:
    """Peak resident memory of one `nhsx extract` run over ``folder`` (one worker, output discarded)."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, "extract", str(folder), "--mentions", "-f", "jsonl", "--workers", "1"],
        check=True, capture_output=True, text=True,
    )
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def write_corpus(docs: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(docs):
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    return folder


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
    runs = {
        "tokenizer only (blank English)": lambda: consume(pipelines["tokenizer only (blank English)"], docs),
        "nhsx, one worker": lambda: consume_workers(pipelines["nhsx, all built-in gazetteers"], docs, 1),
        "nhsx, two workers": lambda: consume_workers(pipelines["nhsx, all built-in gazetteers"], docs, 2),
        "nhsx, one worker, plus sentence co-occurrence": lambda: consume_workers(
            pipelines["nhsx, all built-in gazetteers"], docs, 1, cooccurrence=True
        ),
        "nhsx, one worker, without the ODS organisations": lambda: consume_workers(
            pipelines["nhsx, without the ODS organisations"], docs, 1
        ),
    }
    for nlp in pipelines.values():
        nlp("warm up")
    rows = []
    for name, run in runs.items():
        seconds = median_seconds(run, args.repeats)
        rows.append({"what": name, "seconds": round(seconds, 3), "words_per_second": round(words / seconds)})
    base = rows[0]["words_per_second"]
    for row in rows:
        row["ratio_to_tokenizer"] = round(row["words_per_second"] / base, 3)

    one = next(r for r in rows if r["what"] == "nhsx, one worker")["words_per_second"]
    two = next(r for r in rows if r["what"] == "nhsx, two workers")["words_per_second"]
    with tempfile.TemporaryDirectory() as tmp:
        memory = {
            f"{n} documents": round(peak_memory_mib(write_corpus(build_corpus_docs(n), Path(tmp) / str(n))), 1)
            for n in (200, 2000)
        }
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
        "two_workers_speed_up": round(two / one, 2),
        "peak_memory_mib": memory,
        "startup_seconds": {k: round(v, 3) for k, v in startup.items()},
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{len(docs)} documents, {words:,} words, median of {args.repeats} runs ({result['machine']})")
    print(f"{'what':<50} {'words/s':>12} {'ratio':>7}")
    for row in rows:
        print(f"{row['what']:<50} {row['words_per_second']:>12,} {row['ratio_to_tokenizer']:>7.3f}")
    print(f"{'two workers / one worker':<40} {result['two_workers_speed_up']:>12.2f}")
    for name, mib in memory.items():
        print(f"{'peak memory, ' + name:<40} {mib:>10.1f} MiB")
    for name, seconds in result["startup_seconds"].items():
        print(f"{name:<40} {seconds:>11.3f}s")


if __name__ == "__main__":
    main()
