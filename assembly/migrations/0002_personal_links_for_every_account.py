"""Personal sign-in links for every account, the sessions they open, and the
delegates the check-in desk marks present in a room.

A link belonged to a delegate; it now belongs to an account (a delegate's
account, a facilitator's, the secretariat's, an agency's staff): existing links
move to their delegate's account and keep working.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def links_to_accounts(apps, schema_editor):
    SignInLink = apps.get_model("assembly", "SignInLink")
    for link in SignInLink.objects.select_related("delegate").iterator():
        link.user_id = link.delegate.user_id
        link.save(update_fields=["user"])


class Migration(migrations.Migration):

    dependencies = [
        ("assembly", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="signinlink",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sign_in_links",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(links_to_accounts, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="signinlink",
            name="sign_in_link_one_active_per_delegate",
        ),
        migrations.RemoveField(model_name="signinlink", name="delegate"),
        migrations.AlterField(
            model_name="signinlink",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sign_in_links",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="signinlink",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=("user",),
                name="sign_in_link_one_active_per_user",
            ),
        ),
        migrations.CreateModel(
            name="LinkSession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("session_key", models.CharField(max_length=40, unique=True)),
                ("opened_at", models.DateTimeField(auto_now_add=True)),
                ("link", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="sessions", to="assembly.signinlink")),
            ],
        ),
        migrations.CreateModel(
            name="DeskPresence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("marked_at", models.DateTimeField(auto_now_add=True)),
                ("delegate", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="desk_presence", to="assembly.delegate")),
                ("marked_by", models.ForeignKey(
                    blank=True, null=True,
                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                    to=settings.AUTH_USER_MODEL)),
                ("room", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="desk_presence", to="assembly.room")),
            ],
            options={
                "verbose_name": "presence marked at the desk",
                "verbose_name_plural": "presence marked at the desk",
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(choices=[
                ("sign_in", "Signed in"), ("sign_in_failed", "Sign-in failed"),
                ("sign_out", "Signed out"), ("permission_refused", "Permission refused"),
                ("token_issued", "Sign-in link issued"),
                ("token_revoked", "Sign-in link revoked"),
                ("token_emailed", "Sign-in link sent by e-mail"),
                ("sessions_ended", "Sessions ended"),
                ("account_created", "Account created"),
                ("account_changed", "Account changed"),
                ("account_deactivated", "Account deactivated"),
                ("account_reactivated", "Account reactivated"),
                ("password_set", "Password set"),
                ("checked_in", "Checked in at the desk"),
                ("checked_out", "Checked out at the desk"),
                ("marked_present", "Marked present in a room"),
                ("presence_cleared", "No longer marked present"),
                ("ballot_refused", "Ballot refused"), ("poll_opened", "Poll opened"),
                ("poll_closed", "Poll closed"), ("import", "Partners imported"),
            ], max_length=30),
        ),
    ]
