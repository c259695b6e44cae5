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


def sweep_orphans(session: Session, store: EvidenceStore) -> list[str]:
    """Remove orphans. Safe only while the data folder lock is held: nobody else is writing the store."""
    removed = store.remove_orphans(referenced_hashes(session), older_than_s=0)
    if removed:
        log.info("removed %d orphaned evidence file(s) left by an interrupted operation", len(removed))
    return removed
