"""The Swedish word list is chosen once in a child process and read back from a small file."""

from __future__ import annotations

from forum.search import analysis, lexicon


def test_the_file_made_by_the_child_holds_the_same_words(tmp_path):
    words = lexicon.load(tmp_path)
    (path,) = tmp_path.glob("lexicon-sv-*.bin")
    assert path.name == lexicon.file_name()
    assert words == lexicon.wanted(lexicon.wanted_words())
    assert words.frequency("hållbarhet") > 0 and words.known("kongress")
    assert words.lemma("resan") == "resa" and words.lemma("resa") == lexicon.OWN_LEMMA
    assert words.lemma("havande") is None  # the dictionary's guess "ha" is too far from it
    assert words.name("ringhals") and not words.name("kongress")
    assert not words.known("xqzw") and words.frequency("xqzw") == 0.0
    assert lexicon.load(tmp_path) == words  # read again, not chosen again
    assert path.stat().st_mtime_ns == next(tmp_path.glob("lexicon-sv-*.bin")).stat().st_mtime_ns


def test_other_thresholds_make_another_file(monkeypatch):
    before = lexicon.file_name()
    monkeypatch.setattr(analysis, "MIN_ZIPF", analysis.MIN_ZIPF + 0.5)
    assert lexicon.file_name() != before


def test_an_unreadable_file_falls_back_to_choosing_in_this_process(tmp_path):
    (tmp_path / lexicon.file_name()).write_bytes(b"LEX4 and then not a word list")
    assert lexicon.load(tmp_path).known("kongress")


def test_a_damaged_trie_falls_back_to_choosing_in_this_process(tmp_path):
    good = lexicon.load(tmp_path)
    path = tmp_path / lexicon.file_name()
    data = bytearray(path.read_bytes())
    data[12:40] = bytes(28)  # the trie's own header, the file's length unchanged
    path.write_bytes(bytes(data))
    assert lexicon.load(tmp_path) == good
