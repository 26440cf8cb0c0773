"""RFC 4287's RELAX NG schema (``tests/data/atom.rnc``, from the RFC's Appendix B) for lxml, and
the rules of the RFC's Schematron annotations, which RELAX NG leaves out."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import rnc2rng
from lxml import etree

SCHEMA = Path(__file__).parent / "data" / "atom.rnc"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@cache
def atom_schema() -> etree.RelaxNG:
    rng = rnc2rng.dumps(rnc2rng.load(str(SCHEMA)))
    # rnc2rng declares the RFC's ``namespace local = ""`` as xmlns:local="", which XML forbids;
    # every name it writes carries its namespace itself, so the declaration is not needed
    rng = re.sub(r'\s+xmlns:local=""', "", rng)
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def atom_problems(document: bytes) -> list[str]:
    """Why ``document`` is not a valid Atom feed ([] when it is): the RELAX NG grammar, then the
    RFC's Schematron rules (an author for every entry; an alternate link or content)."""
    root = etree.fromstring(document)
    schema = atom_schema()
    if not schema.validate(root):
        return [str(error) for error in schema.error_log]
    problems = []
    if not root.xpath("atom:author", namespaces=ATOM) and root.xpath(
        "atom:entry[not(atom:author)]", namespaces=ATOM
    ):
        problems.append("a feed without an author has an entry without an author")
    for entry in root.xpath("atom:entry", namespaces=ATOM):
        if not entry.xpath(
            "atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content",
            namespaces=ATOM,
        ):
            problems.append("an entry has neither an alternate link nor content")
        if entry.xpath("atom:content[@src]", namespaces=ATOM) and not entry.xpath(
            "atom:summary", namespaces=ATOM
        ):
            problems.append("an entry with out-of-line content has no summary")
    return problems
