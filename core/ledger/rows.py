"""What the ledger shows, without SQLAlchemy: the filter, a task row and its nodes.

`core.ledger.queries` fills them from the database; the window's first paint (`core.ledger.firstpage`)
fills the first page before SQLAlchemy is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SORT_KEYS = ("deadline", "next_due", "title", "city_ref", "source", "category", "status", "owner", "section",
             "light", "updated", "created")


@dataclass
class LedgerFilter:
    light: str | None = None
    status: str | None = None
    source: str | None = None
    category: str | None = None
    section: str | None = None
    owner: str | None = None
    batch: str | None = None
    text: str | None = None
    overdue_only: bool = False
    due_within_days: int | None = None  # tasks with an unfinished node due from today to today + N
    closed_in: str | None = None  # YYYY-MM: tasks closed (销号) that month
    include_closed: bool = True
    sort: str = "deadline"
    descending: bool = False


@dataclass
class NodeRow:
    id: str
    seq: int
    title: str
    due: str
    done: str | None
    status: str
    done_by: str | None = None
    confirmed_by: str | None = None


@dataclass
class TaskRow:
    id: str
    city_ref: str | None
    title: str
    source: str
    category: str
    status: str
    light: str
    deadline: str
    next_due: str | None
    owner: str
    section: str
    batch: str
    leader: str
    light_reason: str = ""
    nodes: list[NodeRow] = field(default_factory=list)
    open_notices: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "city_ref": self.city_ref, "title": self.title, "source": self.source,
            "category": self.category, "status": self.status, "light": self.light,
            "light_reason": self.light_reason, "deadline": self.deadline, "owner": self.owner,
            "section": self.section,
            "nodes": [{"seq": n.seq, "title": n.title, "due": n.due, "done": n.done, "status": n.status}
                      for n in self.nodes],
            "open_notices": self.open_notices,
        }
