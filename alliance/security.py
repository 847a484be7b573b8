"""Sign-in throttling hooks for django-axes: which address a request comes from, which account it names,
and when a sign-in is paused."""

import datetime
import hashlib
import hmac
import ipaddress
import logging
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.shortcuts import render
from django.utils import timezone

from alliance.background import ResetRequest

logger = logging.getLogger(__name__)

# django-axes' AccessAttempt.username column; a longer name would overflow it (a 500 on PostgreSQL).
ACCOUNT_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length


def client_ip(request):
    """The visitor's address. Behind our one TLS proxy, REMOTE_ADDR is the proxy, so the address is the
    last X-Forwarded-For entry: the one that proxy appended (earlier entries are whatever the client sent).
    None when that is not an IP address (a server on a Unix socket gives "" or "unix:..."): the throttle's
    queries compare it with PostgreSQL's inet column, which refuses anything else (a 500 at sign-in)."""
    address = request.META.get("REMOTE_ADDR")
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def fold(text):
    """One spelling for every way of typing a name: NFKC (fullwidth Ｒ is R), then case folding (the
    Unicode-wide lower(); NFKC again because folding can leave decomposed characters)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def user_account(user):
    """The name a user's sign-in failures are counted under (also what a password reset clears)."""
    return fold(user.email)


def _account(username):
    # Counted under the account the sign-in itself would find, whichever spelling found it: the database
    # compares more loosely than Python (PostgreSQL's UPPER() turns the dotless ı into I), so folding
    # the typed name alone would count `pedro.adeyemı` apart from Pedro while signing in as him.
    try:
        return user_account(get_user_model()._default_manager.get_by_natural_key(username))
    except (get_user_model().DoesNotExist, get_user_model().MultipleObjectsReturned):
        pass
    name = fold(username)
    if len(name) > ACCOUNT_MAX_LENGTH:
        # Folding can grow a name (İ becomes two characters, ß becomes ss). Too long for anyone's email,
        # so it is no one's account: a digest keeps each such name counted on its own, within the column.
        name = "sha256:" + hashlib.sha256(name.encode()).hexdigest()
    return name


def account(request, credentials):
    """AXES_USERNAME_CALLABLE: the account a sign-in names. django-axes asks several times per attempt,
    so the answer (one query) is kept on the request."""
    username = ((credentials or {}).get("username") or request.POST.get("username", "")).strip()
    known = request.__dict__.setdefault("_alliance_accounts", {})
    if username not in known:
        known[username] = _account(username)
    return known[username]


class SignInHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one: AXES_FAILURE_LIMIT failures for an
    account (from any address) pause that account; SIGNIN_ADDRESS_FAILURE_LIMIT failures from one address
    (across accounts: password spraying) pause that address. One person's typos then no longer lock out
    everyone behind their office's address."""

    def get_failures(self, request, credentials=None):
        name, address = get_client_username(request, credentials), request.axes_ip_address
        counts = AccessAttempt.objects.filter(
            Q(username=name) | Q(ip_address=address), attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(
            account=Sum("failures_since_start", filter=Q(username=name), default=0),
            address=Sum("failures_since_start", filter=Q(ip_address=address), default=0),
        )
        # django-axes compares the result with AXES_FAILURE_LIMIT: an address over its own limit counts as full.
        if counts["address"] >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(counts["account"], settings.AXES_FAILURE_LIMIT)
        return counts["account"]

    def reset_user_attempts(self, request, credentials=None):
        """A successful sign-in clears that account's failures, not those of others at the same address
        (django-axes' own reset clears the address too, which would lift a colleague's pause)."""
        count, _ = AccessAttempt.objects.filter(username=get_client_username(request, credentials)).delete()
        return count


def locked_out(request, original_response=None, credentials=None):
    """The page a paused sign-in gets: why, for how long, and the way out (a password reset)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
        "minutes": minutes,
    }
    return render(request, "registration/locked_out.html", context, status=429)


RESET_WINDOW = datetime.timedelta(hours=1)


def _digest(kind, value):
    """A keyed digest: equal values compare equal, and the table holds no address anyone can read back."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def password_reset_allowed(request, email):
    """Whether a reset email may be sent for this request: at most PASSWORD_RESET_ADDRESS_LIMIT an hour for one
    typed address (so nobody's mailbox is flooded) and PASSWORD_RESET_IP_LIMIT an hour from one client address
    (so nobody floods the mail server with many addresses). Counted by the address typed, known or not, so the
    answer never depends on whether it has an account; the view answers the same either way."""
    now = timezone.now()
    address, ip = _digest("address", fold(email.strip())), _digest("ip", client_ip(request) or "")
    recent = ResetRequest.objects.filter(created_at__gte=now - RESET_WINDOW)
    if recent.filter(address=address).count() >= settings.PASSWORD_RESET_ADDRESS_LIMIT:
        logger.warning("Password reset refused: too many for one address in the last hour")
        return False
    if recent.filter(ip=ip).count() >= settings.PASSWORD_RESET_IP_LIMIT:
        logger.warning("Password reset refused: too many from %s in the last hour", client_ip(request))
        return False
    ResetRequest.objects.create(address=address, ip=ip, created_at=now)
    return True
