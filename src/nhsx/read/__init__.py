"""Reading: files, folders and standard input -> ``Document`` records (or ``ReadError``, one line saying why).

Every caller reads through here: ``sources`` lists what paths hold, ``read_source`` reads one, and
``read_documents`` does both, streaming. ``formats`` turns each kind of file into text; ``dates`` says when
each document was written.
"""

from nhsx.read.files import (
    DEFAULT_GLOBS,
    STDIN,
    Source,
    count_documents,
    read_documents,
    read_source,
    sources,
    would_read,
)

__all__ = [
    "DEFAULT_GLOBS",
    "STDIN",
    "Source",
    "count_documents",
    "read_documents",
    "read_source",
    "sources",
    "would_read",
]
