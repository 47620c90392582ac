"""An on-disk cache for compiled gazetteers and parsed word lists, so the second run starts fast.

The key is a hash of everything the compiled result depends on: the gazetteer files' contents and
order, nhsx's and spaCy's versions, and the caller's settings. A changed file is a new key; old
entries are simply never read again. Set NHSX_CACHE_DIR to move the cache, NHSX_NO_CACHE=1 to skip it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

FORMAT = 2  # 2: POLICY names get derived written forms (patterns.policy_name_variants)


def cache_dir() -> Path | None:
    if os.environ.get("NHSX_NO_CACHE"):
        return None
    if os.environ.get("NHSX_CACHE_DIR"):
        return Path(os.environ["NHSX_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nhsx"


def cache_key(files: Iterable[Path], *settings: str) -> str:
    from spacy import __version__ as spacy_version

    from . import __version__

    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{spacy_version}|{'|'.join(settings)}".encode())
    for path in files:  # paths too: cached problem messages name the file
        digest.update(b"\0" + str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def load(key: str, kind: str = "gazetteer") -> dict[str, Any] | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{kind}-{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # absent, unreadable or half-written by someone else: rebuild


def save(key: str, data: dict[str, Any], kind: str = "gazetteer") -> None:
    """Write atomically; a cache that cannot be written is not an error (read-only home, full disk)."""
    folder = cache_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, folder / f"{kind}-{key}.json")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
