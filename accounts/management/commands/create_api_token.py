"""Issue a personal API token from the command line (for scripts set up by an administrator).

The token is the last word of the output, so `... | awk '{print $NF}'` captures it.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue a personal API token for USERNAME and print it (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help='What the token is for (default "cli").')

    def handle(self, *args, username, name, **options):
        name = name.strip()
        if not name or len(name) > 80:
            raise CommandError("The token name must be 1 to 80 characters.")
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as e:
            raise CommandError(f"No user named {username!r}.") from e
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; a token for it would not work.")
        _token, raw = ApiToken.issue(user, name)
        self.stdout.write(f'Token for {user.username} (name "{name}"): {raw}')
