"""Start-up sweep: evidence files that no row names were left by a crash between copy and commit."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.evidence.store import EvidenceStore
from db.models import Evidence, Notice

log = logging.getLogger(__name__)


def referenced_hashes(session: Session) -> set[str]:
    """Every stored file some row names: evidence (tombstoned too: the report still lists it), notice attachments."""
    refs = set(session.scalars(select(Evidence.sha256)))
    for attachments in session.scalars(select(Notice.attachments)):
        refs.update(a for a in attachments or [] if isinstance(a, str))
    return refs


def sweep_orphans(session: Session, store: EvidenceStore, *, older_than: float | None = None) -> list[str]:
    """Remove orphans stored before `older_than` (a time.time() value; None: any age).

    Only while the data folder lock is held; the Workspace passes its previous start, so a file that an
    import in another process stored but has not committed yet is never removed."""
    import time

    age = 0.0 if older_than is None else max(time.time() - older_than, 0.0)
    removed = store.remove_orphans(referenced_hashes(session), older_than_s=age)
    if removed:
        log.info("removed %d orphaned evidence file(s) left by an interrupted operation", len(removed))
    return removed
