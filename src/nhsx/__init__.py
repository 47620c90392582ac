"""nhsx: NHS policy entity extraction (bodies, structures, policies, people) with spaCy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["extract", "build_pipeline", "Mention", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from nhsx.nlp.pipeline import build_pipeline
    from nhsx.records import Mention
    from nhsx.run import extract


def __getattr__(name: str) -> Any:
    # Lazy: importing nhsx (and `nhsx --help`) must not import spaCy.
    if name == "extract":
        from nhsx.run import extract

        return extract
    if name == "build_pipeline":
        from nhsx.nlp.pipeline import build_pipeline

        return build_pipeline
    if name == "Mention":
        from nhsx.records import Mention

        return Mention
    raise AttributeError(f"module 'nhsx' has no attribute {name!r}")
