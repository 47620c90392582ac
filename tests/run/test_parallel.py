"""Several workers give the same records, in the same order, as one."""

from __future__ import annotations

from nhsx.records import Document, ReadError
from nhsx.run.parallel import default_workers, process_parallel


def items() -> list:
    texts = [
        "NHS England met the CQC. Simon Stevens spoke.",
        "Funds go to integrated care boards (ICBs).",
        "The Treasury and the ICS.",
    ]
    docs: list = [Document(f"{i}.txt", texts[i % len(texts)] + f" Paragraph {i}.") for i in range(23)]
    docs.insert(5, ReadError("bad.txt", "empty file"))
    return docs


def test_two_workers_match_one(nlp):
    one = list(process_parallel(nlp, items(), workers=1))
    two = list(process_parallel(nlp, items(), workers=2, batch_size=3))
    assert [(r.item, r.mentions, r.definitions) for r in two] == [(r.item, r.mentions, r.definitions) for r in one]
    assert isinstance(two[5].item, ReadError) and two[5].mentions == []
    assert any(r.definitions for r in two)


def test_default_workers(tmp_path):
    assert default_workers(["one.txt"]) == 1
    assert default_workers(["-"]) == 1
    assert default_workers([str(tmp_path)]) >= 1


def test_objects_are_frozen_out_of_the_collector_only_while_documents_stream(nlp):
    import gc

    before = gc.get_freeze_count()
    stream = process_parallel(nlp, items(), workers=2, batch_size=3)
    next(stream)
    assert gc.get_freeze_count() > before  # the pipeline is frozen while the stream runs
    list(stream)
    assert gc.get_freeze_count() == before


def test_a_freeze_the_caller_made_is_left_alone(nlp):
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        list(process_parallel(nlp, items(), workers=1))
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
