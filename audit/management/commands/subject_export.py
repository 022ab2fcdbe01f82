"""manage.py subject_export <member uuid | citizen ID> [--out file.json|file.zip]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit import subject
from audit.log import record
from audit.models import Action
from members.models import Member


class Command(BaseCommand):
    help = (
        "Data-subject request: write everything stored about a member and who accessed it "
        "(JSON; zipped when --out ends in .zip). The export is itself logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", help="the member's uuid or the person's citizen ID number")
        parser.add_argument("--out", help="file to write (.json or .zip); default: stdout")

    def handle(self, key, out=None, **options):
        try:
            member = subject.find_member(key)
        except Member.DoesNotExist as e:
            raise CommandError(f"No member with the uuid or citizen ID {key!r}.") from e
        except Member.MultipleObjectsReturned as e:
            raise CommandError(
                "This citizen ID is recorded in more than one province: give the member's uuid."
            ) from e
        doc = subject.document(member)
        if out:
            path = Path(out)
            data = subject.to_zip(doc) if path.suffix == ".zip" else subject.to_json(doc)
            path.write_bytes(data)
        else:
            self.stdout.write(subject.to_json(doc).decode())
        record(
            Action.DATA_EXPORT,
            member,
            object_repr=member.person.full_name,
            extra={"format": subject.FORMAT, "via": "command", "file": out or ""},
        )
        if out:
            self.stderr.write(f"Written to {out} ({member.uuid}).")
