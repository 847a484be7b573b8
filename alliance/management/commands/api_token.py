"""`manage.py api_token create|list|revoke`: API tokens for scripts and operations (alliance.tokens).

    manage.py api_token create --email hr@example.com --scopes read,write [--days 90] [--name NAME] [--service]
    manage.py api_token list [--email ADDRESS]
    manage.py api_token revoke alli_AbC123

`create` prints the new token on its last line, alone, so a script can take it with `| tail -n 1`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alliance import tokens
from alliance.models import ApiToken, User


class Command(BaseCommand):
    help = "Make, list or revoke API tokens. `create` prints the token on its last line."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token; its secret is printed once, on the last line")
        create.add_argument("--email", required=True, help="the account the token acts as")
        create.add_argument("--scopes", default="read", help="comma-separated: read, write, scim (default: read)")
        create.add_argument("--days", type=int, default=tokens.DEFAULT_DAYS, help="how long it works (default: 90)")
        create.add_argument("--name", default="Made with manage.py api_token", help="what it is for")
        create.add_argument("--service", action="store_true", help="a service token (HR only; needed for scim)")
        listing = actions.add_parser("list", help="the tokens that are not revoked")
        listing.add_argument("--email", help="only this account's")
        revoke = actions.add_parser("revoke", help="revoke a token by its first characters (as `list` shows them)")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def create(self, *, email, scopes, days, name, service, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        kind = ApiToken.Kind.SERVICE if service else ApiToken.Kind.PERSONAL
        try:
            token, raw = tokens.issue(
                user, name=name, scopes=[s.strip() for s in scopes.split(",") if s.strip()], days=days, kind=kind
            )
        except ValidationError as error:
            raise CommandError(" ".join(m for ms in error.message_dict.values() for m in ms)) from error
        self.stdout.write(
            f"{token.get_kind_display()} token “{token.name}” for {user.email}, scopes {token.scopes}, "
            f"expires {token.expires_at:%Y-%m-%d}. It is shown only now:"
        )
        self.stdout.write(raw)

    def list(self, *, email=None, **options):
        found = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user").order_by("user__email", "id")
        if email:
            found = found.filter(user__email__iexact=email.strip())
        for token in found:
            self.stdout.write(
                f"{token.prefix}  {token.user.email}  {token.kind}  {token.scopes}  {token.state}  "
                f"expires {token.expires_at:%Y-%m-%d}  last used {token.last_used_at or 'never'}  {token.name}"
            )

    def revoke(self, *, prefix, **options):
        found = list(ApiToken.objects.filter(prefix=prefix.strip(), revoked_at__isnull=True)[:2])
        if not found:
            raise CommandError(f"No token that is not revoked starts with {prefix}.")
        if len(found) > 1:
            raise CommandError(f"More than one token starts with {prefix}; revoke it from the account page.")
        tokens.revoke(found[0])
        self.stdout.write(f"Revoked “{found[0].name}” of {found[0].user.email}.")
