import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_links_to_members_and_organizations"),
        ("members", "0003_member_status_transferred"),
        ("organizations", "0002_village_posts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
                ("username", models.CharField(blank=True, max_length=150, verbose_name="username")),
                ("role", models.CharField(blank=True, max_length=16, verbose_name="role")),
                ("organization_name", models.CharField(blank=True, max_length=200, verbose_name="organization")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("login", "Signed in"),
                            ("login_failed", "Failed sign-in"),
                            ("logout", "Signed out"),
                            ("denied", "Access denied"),
                            ("view", "Viewed"),
                            ("export", "Exported"),
                            ("create", "Created"),
                            ("update", "Changed"),
                            ("delete", "Deleted"),
                            ("data_export", "Personal data export"),
                        ],
                        max_length=16,
                        verbose_name="action",
                    ),
                ),
                ("object_type", models.CharField(blank=True, max_length=100, verbose_name="object type")),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="object id")),
                ("object_repr", models.CharField(blank=True, max_length=200, verbose_name="object")),
                ("ip", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address")),
                ("user_agent", models.CharField(blank=True, max_length=200, verbose_name="browser")),
                ("extra", models.JSONField(blank=True, default=dict, verbose_name="details")),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="members.member",
                        verbose_name="member concerned",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit entry",
                "verbose_name_plural": "audit entries",
                "ordering": ["-id"],
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(fields=["member", "id"], name="audit_member"),
                    models.Index(fields=["organization", "id"], name="audit_org"),
                    models.Index(fields=["user", "id"], name="audit_user"),
                    models.Index(fields=["created_at"], name="audit_time"),
                ],
            },
        ),
    ]
