"""Password validators whose messages Django's Vietnamese catalogue lacks."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a message of our catalogue: Django 5.2 changed this msgid and its
    Vietnamese catalogue still has the old one, so the message came out in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(n)d character.",
            "This password is too short: it needs at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}
