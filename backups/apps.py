from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup` and `manage.py restore` (docs/operations.md). No models."""

    name = "backups"
    verbose_name = "Backups"
