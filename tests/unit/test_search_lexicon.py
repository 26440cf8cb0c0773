"""The Swedish word list is chosen once in a child process and read back from a small file."""

from __future__ import annotations

from forum.search import analysis, lexicon


def test_the_file_made_by_the_child_holds_the_same_words(tmp_path):
    words = lexicon.load(tmp_path)
    (path,) = tmp_path.glob("lexicon-sv-*.tsv")
    assert path.name == lexicon.file_name()
    assert words == lexicon.wanted(lexicon.wanted_words())
    assert "hållbarhet" in words.frequencies and "kongress" in words.known
    assert words.lemmas["resan"] == "resa"
    assert "havande" not in words.lemmas  # the dictionary's guess "ha" is too far from it
    assert lexicon.load(tmp_path) == words  # read again, not chosen again
    assert path.stat().st_mtime_ns == next(tmp_path.glob("lexicon-sv-*.tsv")).stat().st_mtime_ns


def test_other_thresholds_make_another_file(monkeypatch):
    before = lexicon.file_name()
    monkeypatch.setattr(analysis, "MIN_ZIPF", analysis.MIN_ZIPF + 0.5)
    assert lexicon.file_name() != before


def test_an_unreadable_file_falls_back_to_choosing_in_this_process(tmp_path):
    (tmp_path / lexicon.file_name()).write_text("no tab here\n", encoding="utf-8")
    assert "kongress" in lexicon.load(tmp_path).frequencies
