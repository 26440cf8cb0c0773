"""Translation catalogue upkeep, used by ``make translations`` and the completeness test.

Message ids are English. The ``en`` catalogue repeats them (so both catalogues are complete
and checked alike); the ``sv`` catalogue holds the Swedish text.

    python -m forum.catalogues fill-en     # copy English msgids into the en catalogue
    python -m forum.catalogues check       # list untranslated or fuzzy entries, exit 1 if any
    python -m forum.catalogues missing sv  # the untranslated msgids as a JSON object to fill in
    python -m forum.catalogues merge sv F  # merge {msgid: translation} from JSON file F
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).parent / "translations"


def catalogue_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def fill_source_language(lang: str = "en") -> int:
    """Set msgstr = msgid for every empty entry of the source-language catalogue."""
    path = catalogue_path(lang)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy or not _is_translated(message):
            message.string = message.id
            message.flags.discard("fuzzy")
            filled += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)
    return filled


def _is_translated(message) -> bool:
    if isinstance(message.string, (tuple, list)):
        return all(message.string)
    return bool(message.string)


def problems(lang: str) -> list[str]:
    """Entries of ``lang`` that are untranslated or fuzzy (the header excluded)."""
    with catalogue_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    found = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            found.append(f"fuzzy: {message.id!r}")
        elif not _is_translated(message):
            found.append(f"untranslated: {message.id!r}")
    return found


def untranslated(lang: str) -> dict[str, str]:
    with catalogue_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {
        m.id: "" for m in catalog if m.id and isinstance(m.id, str) and (m.fuzzy or not m.string)
    }


def merge_translations(lang: str, translations: dict[str, str]) -> int:
    """Write the given translations into the catalogue; unknown msgids are ignored."""
    path = catalogue_path(lang)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    merged = 0
    for msgid, text in translations.items():
        message = catalog.get(msgid)
        if message is None or not text:
            continue
        message.string = text
        message.flags.discard("fuzzy")
        merged += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)
    return merged


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "fill-en":
        print(f"en: {fill_source_language('en')} entries filled from their msgid")
        return 0
    if command == "check":
        failures = {lang: problems(lang) for lang in ("sv", "en")}
        for lang, items in failures.items():
            for item in items:
                print(f"{lang}: {item}")
        return 1 if any(failures.values()) else 0
    if command == "missing":
        print(json.dumps(untranslated(argv[1]), ensure_ascii=False, indent=1))
        return 0
    if command == "merge":
        data = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{argv[1]}: {merge_translations(argv[1], data)} entries merged")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
