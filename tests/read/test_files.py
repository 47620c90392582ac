"""Reading documents: decoding rules, folder walking, stdin, and errors as records."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from nhsx.read.files import count_documents, decode, read_documents
from nhsx.records import Document, ReadError


def make_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def names(results) -> list[str]:
    return [r.name for r in results]


def read_one(path: Path) -> Document | ReadError:
    (result,) = read_documents([str(path)])
    return result


def test_decode_strips_bom():
    assert decode(b"\xef\xbb\xbfNHS England") == "NHS England"


def test_decode_normalises_crlf_and_cr():
    assert decode(b"a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"


def test_decode_names_the_invalid_byte_and_offset():
    with pytest.raises(ValueError, match=r"not valid UTF-8 \(invalid byte 0xff at offset 8\)"):
        decode("café’".encode() + b"\xffcd")  # UTF-8 with a bad byte in it, not Windows-1252


def test_decode_offset_counts_the_bom():
    with pytest.raises(ValueError, match=r"invalid byte 0xff at offset 5\)"):
        decode(b"\xef\xbb\xbfab\xff")  # a UTF-8 byte-order mark means UTF-8, so no guessing


def test_decode_reads_windows_1252_when_not_utf8():
    assert decode(b"caf\xe9 \x93NHS\x94 \xa34m") == "café “NHS” £4m"


def test_decode_truncated_sequence_is_named():
    with pytest.raises(ValueError, match=r"0xe2 at offset 9"):
        decode("‘NHS’".encode() + b"\xe2\x80")


def test_decode_refuses_binary():
    with pytest.raises(ValueError, match="binary"):
        decode(b"PK\x03\x04\x00\x00")


def test_folder_names_are_relative_with_slashes_and_sorted(tmp_path):
    make_tree(tmp_path, {"b.txt": b"b", "a.md": b"a", "sub/z.txt": b"z", "sub/deeper/y.txt": b"y", "c.rtf": b"c"})
    results = list(read_documents([str(tmp_path)]))
    assert names(results) == ["a.md", "b.txt", "sub/z.txt", "sub/deeper/y.txt"]
    assert all(isinstance(r, Document) for r in results) and results[0].text == "a"


def test_custom_globs_replace_the_defaults(tmp_path):
    make_tree(tmp_path, {"a.txt": b"a", "b.html": b"b", "c.htm": b"c"})
    assert names(read_documents([str(tmp_path)], globs=["*.htm*"])) == ["b.html", "c.htm"]


def test_paths_keep_the_order_given_and_files_keep_their_given_name(tmp_path):
    make_tree(tmp_path, {"z.txt": b"z", "dir/a.txt": b"a", "notes.rtf": b"r"})
    given = [str(tmp_path / "z.txt"), str(tmp_path / "dir"), str(tmp_path / "notes.rtf")]
    assert names(read_documents(given)) == [given[0], "a.txt", given[2]]  # a file named directly ignores the globs


def test_missing_path_is_a_read_error_and_the_rest_still_read(tmp_path):
    make_tree(tmp_path, {"a.txt": b"a"})
    results = list(read_documents([str(tmp_path / "missing.txt"), str(tmp_path / "a.txt")]))
    assert results[0] == ReadError(str(tmp_path / "missing.txt"), "no such file or directory")
    assert isinstance(results[1], Document)


@pytest.mark.parametrize("data, message", [(b"", "empty file"), (b" \n\r\n\t", "empty file"), (b"a\x00b", "binary")])
def test_unusable_file_is_a_read_error(tmp_path, data, message):
    result = read_one(make_tree(tmp_path, {"a.txt": data}) / "a.txt")
    assert isinstance(result, ReadError) and message in result.message


def test_bom_only_file_is_empty(tmp_path):
    result = read_one(make_tree(tmp_path, {"a.txt": b"\xef\xbb\xbf\r\n"}) / "a.txt")
    assert result == ReadError(str(tmp_path / "a.txt"), "empty file")


def test_damaged_utf8_file_is_read_with_a_warning_naming_the_first_bad_byte(tmp_path):
    result = read_one(make_tree(tmp_path, {"bad.txt": "café’".encode() + b"\xe9"}) / "bad.txt")
    assert result == Document(
        str(tmp_path / "bad.txt"),
        "café’é",
        warnings=("1 byte not valid UTF-8 replaced (read as Windows-1252; the first, 0xe9, at offset 8)",),
    )


def test_stdin_is_read_from_the_given_stream():
    (result,) = read_documents(["-"], stdin=io.BytesIO(b"\xef\xbb\xbfNHS\r\nEngland"))
    assert result == Document("-", "NHS\nEngland")


def test_empty_stdin_is_a_read_error():
    assert list(read_documents(["-"], stdin=io.BytesIO(b""))) == [ReadError("-", "empty file")]


def test_symlink_loop_does_not_hang_or_repeat_and_is_named(tmp_path):
    make_tree(tmp_path, {"docs/a.txt": b"a", "docs/inner/b.txt": b"b"})
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "inner" / "loop")
    results = list(read_documents([str(tmp_path / "docs")]))
    assert names(results) == ["a.txt", "inner/b.txt", "inner/loop"]
    assert results[2] == ReadError("inner/loop", "symbolic link loop (not followed)")


def test_unreadable_file_is_a_read_error(tmp_path):
    make_tree(tmp_path, {"docs/a.txt": b"a"})
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "docs" / "broken.txt")
    results = list(read_documents([str(tmp_path / "docs")]))
    assert names(results) == ["a.txt", "broken.txt"] and isinstance(results[1], ReadError)


# --- formats, size limit and files that go wrong during a run ---

FORMATS = Path(__file__).parents[1] / "data" / "formats"


def test_default_globs_read_every_supported_format(tmp_path):
    for name in ("report.pdf", "report.docx", "article.html", "minutes.odt", "cp1252.txt"):
        (tmp_path / name).write_bytes((FORMATS / name).read_bytes())
    (tmp_path / "page.htm").write_bytes((FORMATS / "article.html").read_bytes())
    (tmp_path / "notes.rtf").write_bytes(b"{\\rtf1 NHS England}")
    results = list(read_documents([str(tmp_path)]))
    assert names(results) == ["article.html", "cp1252.txt", "minutes.odt", "page.htm", "report.docx", "report.pdf"]
    assert all(isinstance(r, Document) and "NHS England" in r.text for r in results)
    assert results[-1].pages == (0, 421, 787) and results[0].pages == ()


def test_globs_match_whatever_the_case_of_the_suffix(tmp_path):
    make_tree(tmp_path, {"A.TXT": b"NHS England", "b.Md": b"ICB"})
    assert names(read_documents([str(tmp_path)])) == ["A.TXT", "b.Md"]


def test_office_lock_files_and_mac_resource_forks_are_skipped_in_folders(tmp_path):
    make_tree(tmp_path, {"~$report.docx": b"\x0bJoe Bloggs", "._report.pdf": b"\x00\x05\x16\x07", "a.txt": b"ICB"})
    assert names(read_documents([str(tmp_path)])) == ["a.txt"]


def test_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    make_tree(tmp_path, {"big.txt": b"NHS England " * 100, "small.txt": b"NHS England"})
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}") if "big" in self.name else b"ok")
    results = list(read_documents([str(tmp_path)], max_bytes=100))
    assert results == [ReadError("big.txt", "larger than the size limit (100 bytes)"), Document("small.txt", "ok")]


def test_size_limit_is_given_in_megabytes_and_defaults_to_200():
    from nhsx.read.files import DEFAULT_MAX_BYTES, _too_large

    assert DEFAULT_MAX_BYTES == 200 * 1024 * 1024
    assert _too_large(DEFAULT_MAX_BYTES) == "larger than the size limit (200 MB)"


def test_stdin_over_the_size_limit_is_a_read_error():
    assert list(read_documents(["-"], stdin=io.BytesIO(b"x" * 11), max_bytes=10)) == [
        ReadError("-", "larger than the size limit (10 bytes)")
    ]


def test_stdin_is_read_as_text_whatever_it_holds():
    (result,) = read_documents(["-"], stdin=io.BytesIO("NHS England’s plan".encode("utf-16")))
    assert result == Document("-", "NHS England’s plan")


def test_file_deleted_between_listing_and_reading_no_longer_exists(tmp_path):
    make_tree(tmp_path, {"a.txt": b"NHS England", "b.txt": b"ICB", "c.txt": b"CQC"})
    results = read_documents([str(tmp_path)])
    first = next(results)
    (tmp_path / "b.txt").unlink()
    assert [first, *results] == [
        Document("a.txt", "NHS England"),
        ReadError("b.txt", "no longer exists"),
        Document("c.txt", "CQC"),
    ]


def test_file_that_vanishes_while_being_read_no_longer_exists(tmp_path, monkeypatch):
    make_tree(tmp_path, {"a.txt": b"NHS England", "b.txt": b"ICB"})
    real = Path.read_bytes

    def vanishing(self: Path) -> bytes:
        if self.name == "a.txt":
            raise FileNotFoundError(2, "No such file or directory", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanishing)
    assert list(read_documents([str(tmp_path)])) == [ReadError("a.txt", "no longer exists"), Document("b.txt", "ICB")]


def test_permission_error_is_reported_with_the_system_message(tmp_path, monkeypatch):
    make_tree(tmp_path, {"a.txt": b"NHS England"})
    monkeypatch.setattr(
        Path, "read_bytes", lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
    )
    assert list(read_documents([str(tmp_path)])) == [ReadError("a.txt", "Permission denied")]


def test_broken_link_and_file_link_loop_are_named(tmp_path):
    make_tree(tmp_path, {"docs/a.txt": b"ICB"})
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "docs" / "broken.txt")
    os.symlink(tmp_path / "docs" / "y.txt", tmp_path / "docs" / "x.txt")
    os.symlink(tmp_path / "docs" / "x.txt", tmp_path / "docs" / "y.txt")
    results = list(read_documents([str(tmp_path / "docs")]))
    assert results[:2] == [Document("a.txt", "ICB"), ReadError("broken.txt", "broken symbolic link")]
    assert [r.message for r in results[2:]] == ["Too many levels of symbolic links"] * 2
    (given,) = read_documents([str(tmp_path / "docs" / "broken.txt")])
    assert given == ReadError(str(tmp_path / "docs" / "broken.txt"), "broken symbolic link")


def test_links_between_sibling_folders_end_and_linked_folders_are_read(tmp_path):
    make_tree(tmp_path, {"a/1.txt": b"NHS England", "b/2.txt": b"ICB"})
    os.symlink(tmp_path / "b", tmp_path / "a" / "to-b")
    os.symlink(tmp_path / "a", tmp_path / "b" / "to-a")
    results = list(read_documents([str(tmp_path)]))
    assert names(results) == ["a/1.txt", "a/to-b/2.txt", "a/to-b/to-a", "b/2.txt", "b/to-a/1.txt", "b/to-a/to-b"]
    assert [r.message for r in results if isinstance(r, ReadError)] == ["symbolic link loop (not followed)"] * 2


def test_fifo_in_a_folder_is_not_read(tmp_path):
    make_tree(tmp_path, {"a.txt": b"ICB"})
    os.mkfifo(tmp_path / "pipe.txt")
    assert list(read_documents([str(tmp_path)])) == [
        Document("a.txt", "ICB"),
        ReadError("pipe.txt", "not a regular file"),
    ]


def test_bad_files_in_a_folder_get_one_line_each_and_the_rest_are_read():
    results = list(read_documents([str(FORMATS)]))
    problems = {r.name: r.message for r in results if isinstance(r, ReadError)}
    assert problems == {
        "binary.txt": "binary file (contains NUL bytes)",
        "empty.txt": "empty file",
        "encrypted.pdf": "encrypted PDF",
        "scanned.pdf": "no text layer (a scanned PDF?); OCR not attempted",
        "truncated.pdf": "truncated or damaged PDF (stream has ended unexpectedly)",
    }
    documents = [r for r in results if isinstance(r, Document)]
    assert len(documents) == 11 and all("Care Quality Commission" in d.text for d in documents)
    assert [d.name for d in documents if d.warnings] == ["invalid-bytes.txt"]


def test_folder_that_cannot_be_listed_gets_one_line_and_the_rest_are_read(tmp_path, monkeypatch):
    make_tree(tmp_path, {"a.txt": b"NHS England", "locked/b.txt": b"ICB", "z/c.txt": b"CQC"})
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert list(read_documents([str(tmp_path)])) == [
        Document("a.txt", "NHS England"),
        ReadError("locked", "Permission denied"),
        Document("z/c.txt", "CQC"),
    ]


def test_count_documents_counts_what_read_documents_yields(tmp_path):
    (tmp_path / "a.txt").write_text("NHS England", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("ICB", encoding="utf-8")
    (tmp_path / "sub" / "c.csv").write_text("x", encoding="utf-8")
    (tmp_path / "~$lock.txt").write_text("x", encoding="utf-8")
    paths = [str(tmp_path), str(tmp_path / "a.txt"), "no/such/file.txt"]
    assert count_documents(paths) == len(list(read_documents(paths))) == 4
