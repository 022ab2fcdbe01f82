"""Readable change history of a member: who changed what, when, across all their rows."""

from collections import defaultdict

from lib.validators import mask_citizen_id
from members.models import Member, Membership, Person

# Fields users care about; bookkeeping columns are left out of the history.
SKIP = {
    "id",
    "uuid",
    "province",
    "search_text",
    "sort_key",
    "created_at",
    "updated_at",
    "person",
    "member",
}


class _Display:
    """Turns stored values into what a user reads; related rows are looked up once each."""

    def __init__(self):
        self.cache = {}

    def __call__(self, model, field, value):
        if value in (None, ""):
            return "—"
        f = model._meta.get_field(field)
        if f.choices:
            return dict(f.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if hasattr(value, "strftime"):
            return value.strftime("%d/%m/%Y")
        if f.is_relation:
            key = (f.related_model, value)
            if key not in self.cache:
                self.cache[key] = str(f.related_model.objects.filter(pk=value).first() or value)
            return self.cache[key]
        return value


def member_history(member: Member, limit: int = 300, mask_ids: bool = False):
    """Entries (when, who, what, changes) from the histories of the person, member and periods.

    Three queries: one per history table. Consecutive versions of each row are
    compared in memory (no per-record `prev_record` query).
    """
    records = list(
        Person.history.filter(id=member.person_id).select_related("history_user")[:limit]
    )
    records += list(Member.history.filter(id=member.pk).select_related("history_user")[:limit])
    records += list(
        Membership.history.filter(member_id=member.pk).select_related(
            "history_user", "organization"
        )[:limit]
    )
    versions = defaultdict(list)
    for rec in records:
        versions[(rec.instance_type, rec.id)].append(rec)
    display = _Display()
    if mask_ids:
        plain = display

        def display(model, field, value):
            if field == "citizen_id":
                return mask_citizen_id(value) if value else "—"
            return plain(model, field, value)

    entries = []
    for (model, _pk), recs in versions.items():
        recs.sort(key=lambda r: (r.history_date, r.history_id))
        prev = None
        for rec in recs:
            changes = []
            if rec.history_type == "~" and prev is not None:
                for c in rec.diff_against(prev).changes:
                    if c.field in SKIP:
                        continue
                    label = model._meta.get_field(c.field).verbose_name
                    changes.append(
                        (label, display(model, c.field, c.old), display(model, c.field, c.new))
                    )
                if not changes:
                    prev = rec
                    continue
            elif rec.history_type == "+" and model is Membership:
                changes.append(
                    (
                        model._meta.get_field("organization").verbose_name,
                        "",
                        f"{rec.organization} ({rec.get_kind_display()}, {rec.start_date:%d/%m/%Y})",
                    )
                )
            entries.append(
                {
                    "when": rec.history_date,
                    "who": rec.history_user.display_name() if rec.history_user else "",
                    "type": rec.history_type,
                    "model": model._meta.verbose_name,
                    "changes": changes,
                }
            )
            prev = rec
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]
