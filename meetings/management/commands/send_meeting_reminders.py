from django.core.management.base import BaseCommand

from meetings.notices import send_reminders


class Command(BaseCommand):
    help = "E-mail a reminder for meetings in the next 24 hours (once each). Run hourly from cron."

    def handle(self, *args, **options):
        n = send_reminders()
        self.stdout.write(f"{n} reminders sent")
