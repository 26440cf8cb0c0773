"""``flask forum check-index``: which documents the index lacks, holds in an old version or
holds although the database has nothing to index for them, and repairing that.

What the database says is derived exactly as a rebuild derives it (each provider's
``iter_documents``), and each document is compared by its ``marker`` (index.py): a digest of its
fields, so a document whose text, theme, goals or anything else changed is stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from .documents import REGISTRY, split_key
from .index import marker_of
from .sync import apply_entities


@dataclass
class IndexReport:
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)


def compare_index(session: Session, store) -> IndexReport:
    """IndexUnavailable if the index cannot be read at all."""
    expected = {
        doc["key"]: marker_of(doc)
        for provider in REGISTRY.values()
        for doc in provider.iter_documents(session)
    }
    held = {fields["key"]: fields.get("marker") for fields in store.searcher().all_stored_fields()}
    return IndexReport(
        missing=sorted(expected.keys() - held.keys()),
        stale=sorted(key for key in expected.keys() & held.keys() if expected[key] != held[key]),
        extra=sorted(held.keys() - expected.keys()),
    )


def repair_index(session: Session, store, report: IndexReport) -> None:
    """Delete the extra documents and re-derive the entities of the missing and stale ones."""
    entities: dict[str, list[int]] = {}
    for key in [*report.missing, *report.stale]:
        entity, entity_id = split_key(key)
        if entity_id is not None and entity_id not in entities.setdefault(entity, []):
            entities[entity].append(entity_id)
    with store.writer() as writer:
        for key in report.extra:  # first: a writer does not delete what it has added itself
            writer.delete_by_term("key", key)
        apply_entities(session, writer, entities)
