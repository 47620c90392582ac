"""An on-disk cache for compiled gazetteers and parsed word lists, so the second run starts fast.

The key is a hash of everything the compiled result depends on: the gazetteer files' contents and
order, nhsx's and spaCy's versions, and the caller's settings. A changed file is a new key; old
entries are simply never read again. Set NHSX_CACHE_DIR to move the cache, NHSX_NO_CACHE=1 to skip it.

A cache file is a header line (format, kind, key and the SHA-256 of the rest) and the JSON data. What
is read is used only if the header matches and the data is whole: a truncated, edited, foreign or
older file is rebuilt, never trusted (a wrong-shaped file would otherwise crash a run or silently
drop matches). Files are written atomically, so two runs building the same entry cannot mix.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable

from nhsx.write.output import OutputError, atomic_output

# 2: POLICY names get derived written forms (patterns.policy_name_variants); 3: a checked header line;
# 4: lower-case forms of case-sensitive plan titles (patterns.lower_case_forms)
FORMAT = 4


def cache_dir() -> Path | None:
    if os.environ.get("NHSX_NO_CACHE"):
        return None
    if os.environ.get("NHSX_CACHE_DIR"):
        return Path(os.environ["NHSX_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nhsx"


def cache_key(files: Iterable[Path], *settings: str) -> str:
    from spacy import __version__ as spacy_version

    from nhsx import __version__

    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{spacy_version}|{'|'.join(settings)}".encode())
    for path in files:  # paths too: cached problem messages name the file
        digest.update(b"\0" + os.fsencode(path) + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _header(kind: str, key: str, body: bytes) -> dict[str, Any]:
    return {"format": FORMAT, "kind": kind, "key": key, "sha256": hashlib.sha256(body).hexdigest()}


def load(key: str, kind: str = "gazetteer") -> dict[str, Any] | None:
    """The data saved under ``key``, or None when there is none that can be trusted (rebuild it)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        header, _, body = (folder / f"{kind}-{key}.json").read_bytes().partition(b"\n")
        if json.loads(header) != _header(kind, key, body):
            return None
        data = json.loads(body)
    except (OSError, ValueError):
        return None  # absent, unreadable, half-written or not ours
    return data if isinstance(data, dict) else None


def save(key: str, data: dict[str, Any], kind: str = "gazetteer") -> None:
    """Write atomically; a cache that cannot be written is not an error (read-only home, full disk)."""
    folder = cache_dir()
    if folder is None:
        return
    body = json.dumps(data, separators=(",", ":")).encode("ascii")  # ASCII: a file name's odd bytes are escaped
    header = json.dumps(_header(kind, key, body)).encode("ascii")
    with contextlib.suppress(OSError, OutputError):
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_output(folder / f"{kind}-{key}.json", binary=True) as stream:
            stream.write(header + b"\n" + body)
