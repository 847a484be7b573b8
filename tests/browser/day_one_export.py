"""The alumna's first minutes after joining (tests/browser/test_day_one.py): she updates her profile and downloads
her data through the pages, as a person would, and the file she gets is held against the database: her name and
address, the employer she has just saved, the sign-in she has just made, and no secret (her password or its hash,
her session, her invitation's token)."""

import json
import re

from playwright.sync_api import expect

# Not ASCII: the file is UTF-8 and says so (the view writes ensure_ascii=False).
EMPLOYER = "Zürich Gärtnerei AG"

# The judge's read of her rows, run after test_day_one.SAVED (one `manage.py shell` for both: its imports serve).
HER_SAVED = """
from signin.models import SignInEvent
alma = Employee.objects.select_related("user", "alumni_profile").get(employee_number="A-1")
print(json.dumps({
    "email": alma.user.email,
    "first_name": alma.first_name,
    "last_name": alma.last_name,
    "current_employer": alma.alumni_profile.current_employer,
    "updated_at": alma.alumni_profile.updated_at.isoformat(),
    "joined_at": alma.alumni_profile.joined_at.isoformat(),
    "last_login": alma.user.last_login.isoformat(),
    "password_hash": alma.user.password,
    "sign_ins": [
        {"event": e.get_kind_display(), "method": e.method, "detail": e.detail, "ip_address": e.ip,
         "at": e.at.isoformat()}
        for e in SignInEvent.objects.filter(user=alma.user)
    ],
    "invitations": [
        {k: i[f"{k}_at"] and i[f"{k}_at"].isoformat() for k in ("created", "expires", "used", "revoked")}
        for i in alma.alumni_invitations.values()
    ],
    "invitation_hashes": list(alma.alumni_invitations.values_list("token_hash", flat=True)),
}))
"""


def update_and_download(page):
    """From her profile (where joining lands her): "Update my profile", a new employer, Save; then the download
    link in the page's "Your data" section. Returns the file's bytes and the browser's cookies (her session)."""
    page.get_by_role("link", name="Update my profile").click()
    page.get_by_label("Current employer").fill(EMPLOYER)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/alumni/me/")
    expect(page.get_by_text(f"at {EMPLOYER}")).to_be_visible()  # what she sees; the file and the database judge
    with page.expect_download() as download_info:
        page.get_by_role("region", name="Your data").get_by_role("link", name=re.compile("^Download")).click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".json"), download.suggested_filename
    with open(download.path(), "rb") as file:
        return file.read(), page.context.cookies()


def check(invitation, content, cookies, *, her, password):
    """The downloaded file against her rows as the database holds them (HER_SAVED). No secret is in it: not the
    password she chose nor its hash, not her invitation's token (the link she followed) nor its hash, not her
    session's key or CSRF token (the browser's cookies)."""
    secrets = {
        "her password": password,
        "her password's hash": her["password_hash"],
        "her invitation's token": invitation.rstrip("/").rsplit("/", 1)[-1],
        **{f"the {c['name']} cookie": c["value"] for c in cookies if c["name"] in ("sessionid", "csrftoken")},
    }
    assert "the sessionid cookie" in secrets, cookies
    text = content.decode("utf-8")
    data = json.loads(text)
    assert data["account"]["email"] == her["email"] == "alma@day-one.example"
    assert data["account"]["last_login"] == her["last_login"]
    employee = data["employee"]
    assert (employee["first_name"], employee["last_name"]) == (her["first_name"], her["last_name"]) == ("Alma", "Udo")
    profile = data["alumni_profile"]
    assert profile["current_employer"] == her["current_employer"] == EMPLOYER
    assert (profile["updated_at"], profile["joined_at"]) == (her["updated_at"], her["joined_at"])
    # The sign-in she made through her invitation, from the browser's address: one row, as the log holds it.
    assert data["sign_in_log"] == her["sign_ins"], (data["sign_in_log"], her["sign_ins"])
    assert [(e["event"], e["method"], e["ip_address"]) for e in her["sign_ins"]] == [
        ("Signed in", "sign-in link", "127.0.0.1")
    ]
    # The invitation she followed, used (when she joined) and never its token's hash; she had no sign-in link.
    [followed] = her["invitations"]
    assert data["alumni_invitations"] == her["invitations"] and followed["used"] and not followed["revoked"]
    assert data["sign_in_links"] == []
    [invitation_hash] = her["invitation_hashes"]
    secrets["her invitation's hash"] = invitation_hash
    for name, secret in secrets.items():
        assert secret and secret not in text, f"{name} is in the export"
    assert not re.search(r"pbkdf2|argon2|bcrypt|sessionid|csrf|token_hash", text, re.IGNORECASE), text
