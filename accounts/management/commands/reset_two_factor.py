"""Reset a user's second factor (lost phone and backup codes): their authenticator and backup
codes are removed and every session of theirs ends. At the next sign-in, a user whose role
needs the second factor enrols a new authenticator."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode, User
from accounts.security import end_sessions


class Command(BaseCommand):
    help = "Remove USERNAME's authenticator and backup codes and end their sessions."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as e:
            raise CommandError(f"No user named {username!r}.") from e
        with transaction.atomic():
            devices, _ = TOTPDevice.objects.filter(user=user).delete()
            BackupCode.objects.filter(user=user).delete()
            sessions = end_sessions(user)
        self.stdout.write(
            f"{user.username}: {devices} authenticator(s) removed, {sessions} session(s) ended; "
            "they enrol again at their next sign-in."
        )
