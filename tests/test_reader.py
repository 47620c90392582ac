"""Reading documents: decoding rules, folder walking, stdin, and errors as records."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from nhsx.reader import decode, read_documents
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
    with pytest.raises(ValueError, match=r"invalid byte 0xff at offset 2\)"):
        decode(b"ab\xffcd")


def test_decode_offset_counts_the_bom():
    with pytest.raises(ValueError, match=r"invalid byte 0xff at offset 5\)"):
        decode(b"\xef\xbb\xbfab\xff")


def test_decode_truncated_sequence_is_named():
    with pytest.raises(ValueError, match=r"0xe2 at offset 3"):
        decode(b"abc\xe2\x80")


def test_decode_refuses_binary():
    with pytest.raises(ValueError, match="binary"):
        decode(b"PK\x03\x04\x00\x00")


def test_folder_names_are_relative_with_slashes_and_sorted(tmp_path):
    make_tree(tmp_path, {"b.txt": b"b", "a.md": b"a", "sub/z.txt": b"z", "sub/deeper/y.txt": b"y", "c.pdf": b"c"})
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


def test_invalid_utf8_file_is_a_read_error_with_its_name(tmp_path):
    result = read_one(make_tree(tmp_path, {"bad.txt": b"caf\xe9"}) / "bad.txt")
    assert str(result) == f"{tmp_path / 'bad.txt'}: not UTF-8 text (invalid byte 0xe9 at offset 3)"


def test_stdin_is_read_from_the_given_stream():
    (result,) = read_documents(["-"], stdin=io.BytesIO(b"\xef\xbb\xbfNHS\r\nEngland"))
    assert result == Document("-", "NHS\nEngland")


def test_empty_stdin_is_a_read_error():
    assert list(read_documents(["-"], stdin=io.BytesIO(b""))) == [ReadError("-", "empty file")]


def test_symlink_loop_does_not_hang_or_repeat(tmp_path):
    make_tree(tmp_path, {"docs/a.txt": b"a", "docs/inner/b.txt": b"b"})
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "inner" / "loop")
    assert names(read_documents([str(tmp_path / "docs")])) == ["a.txt", "inner/b.txt"]


def test_unreadable_file_is_a_read_error(tmp_path):
    make_tree(tmp_path, {"docs/a.txt": b"a"})
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "docs" / "broken.txt")
    results = list(read_documents([str(tmp_path / "docs")]))
    assert names(results) == ["a.txt", "broken.txt"] and isinstance(results[1], ReadError)
