"""The Dask integration returns the same mention records as nhsx extract, on a local cluster."""

from __future__ import annotations

import pytest

import nhsx
from conftest import REPO

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("dask.distributed")

from nhsx.run.distributed import document_sources, mentions_bag, results_bag  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()


def test_same_mentions_as_extract(client, nlp, tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    expected = nhsx.extract(str(REPO / "seeds"), nlp=nlp)
    got = mentions_bag([str(REPO / "seeds")], npartitions=3).compute()
    assert got == expected
    results = results_bag([str(tmp_path), "no/such.txt"], npartitions=2).compute()
    assert [(r.doc, r.error) for r in results] == [
        ("empty.txt", "empty file"),
        ("no/such.txt", "no such file or directory"),
    ]


def test_sources_are_named_like_extract():
    names = [s.name for s in document_sources([str(REPO / "seeds")])]
    assert names == sorted(names) and "02-board-paper.txt" in names
