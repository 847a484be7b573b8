"""Microsoft Entra's provisioning service, with the shapes of its "SCIM 2.0 protocol compliance" page: the
filter `userName eq "…"`, a create with the enterprise extension, and PATCH with capitalised operations
("Replace", "Add", "Remove"), `"value": "False"` as a string, paths such as `emails[type eq "work"].value`
and the enterprise manager given as a string or as {"value": …}."""

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from alliance.models import Employee, SignInLink
from alumni.models import Departure
from tests.factories import EmployeeFactory
from tests.scim.shapes import ENTERPRISE, entra_user, patch

pytestmark = pytest.mark.django_db

MANAGER = f"{ENTERPRISE}:manager"


@pytest.fixture
def grace(scim, cast, django_capture_on_commit_callbacks):
    body = entra_user(
        title="Engineer",
        **{
            ENTERPRISE: {
                "employeeNumber": "E-7001",
                "department": "Research",
                "manager": {"value": str(cast.report.pk)},
            }
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        status, user = scim.post("Users", body)
    assert status == 201, user
    return Employee.objects.select_related("user", "team", "manager").get(pk=user["id"])


def test_entra_creates_with_the_enterprise_extension(scim, cast, grace):
    assert (grace.employee_number, grace.job_title, grace.team.name) == ("E-7001", "Engineer", "Research")
    assert grace.manager == cast.report and grace.tree_path == f"{cast.report.tree_path}{grace.pk}/"
    assert grace.external_id == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert [m.to for m in mail.outbox] == [["grace.hopper@example.com"]]
    status, found = scim.get('Users?filter=userName eq "grace.hopper@example.com"')
    user = found["Resources"][0]
    assert user[ENTERPRISE]["employeeNumber"] == "E-7001" and user[ENTERPRISE]["department"] == "Research"
    assert user[ENTERPRISE]["manager"]["value"] == str(cast.report.pk)


@pytest.mark.parametrize(
    "filter_",
    [
        'userName eq "grace.hopper@example.com"',
        'USERNAME EQ "Grace.Hopper@Example.com"',
        'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
        'emails.value eq "grace.hopper@example.com"',
        'emails[type eq "work"].value eq "grace.hopper@example.com"',
        f'{ENTERPRISE}:employeeNumber eq "E-7001"',
        'userName eq "grace.hopper@example.com" and active eq true',
    ],
)
def test_each_filter_finds_exactly_the_person(scim, grace, filter_):
    status, found = scim.search("Users", filter=filter_)
    assert status == 200, found
    assert [u["id"] for u in found["Resources"]] == [str(grace.pk)]


def test_active_filters_split_people_who_work_here_from_those_who_left(scim, cast):
    def ids(text):
        return {int(u["id"]) for u in scim.search("Users", filter=text)[1]["Resources"]}

    assert ids("active eq false") == {cast.alumnus.pk}
    assert cast.alumnus.pk not in ids("active eq true") and cast.other.pk in ids("active eq true")
    assert ids('userName eq "nobody@example.com"') == set()


@pytest.mark.parametrize(
    "filter_",
    ['userName co "grace"', 'title eq "Engineer"', "userName eq", 'userName eq "a" or userName eq "b"', "x" * 1001],
)
def test_a_filter_we_cannot_answer_is_400_invalid_filter(scim, grace, filter_):
    status, body = scim.search("Users", filter=filter_)
    assert status == 400 and body["scimType"] == "invalidFilter"


def test_entra_disables_with_a_capitalised_replace_and_the_string_false_once(scim, cast, grace):
    body = patch({"op": "Replace", "path": "active", "value": "False"})
    for _ in range(2):
        status, user = scim.patch(f"Users/{grace.pk}", body)
        assert status == 200 and user["active"] is False
    grace.refresh_from_db()
    assert grace.departure_date == timezone.localdate()
    assert Departure.objects.filter(employee=grace).count() == 1
    # Signing in with the link she was sent stops working on the departure date.
    assert not SignInLink.objects.filter(employee=grace, revoked_at__isnull=True, used_at__isnull=True).exists()


def test_entra_patches_email_name_title_and_department(scim, cast, grace):
    status, user = scim.patch(
        f"Users/{grace.pk}",
        patch(
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "grace.h@example.com"},
            {"op": "Replace", "path": "name.familyName", "value": "Murray Hopper"},
            {"op": "Add", "path": "title", "value": "Rear Admiral"},
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Sales"},
            {"op": "Replace", "path": 'phoneNumbers[type eq "work"].value', "value": "+1 555"},
        ),
    )
    assert status == 200, user
    grace.refresh_from_db()
    assert (grace.user.email, grace.last_name, grace.job_title, grace.team) == (
        "grace.h@example.com",
        "Murray Hopper",
        "Rear Admiral",
        cast.other.team,
    )
    assert user["userName"] == "grace.h@example.com" and user["emails"][0]["value"] == "grace.h@example.com"


def test_entra_path_less_replace_with_dotted_keys(scim, grace):
    status, user = scim.patch(
        f"Users/{grace.pk}",
        patch({"op": "replace", "value": {"name.givenName": "Amazing", f"{ENTERPRISE}:employeeNumber": "E-7002"}}),
    )
    assert status == 200, user
    grace.refresh_from_db()
    assert (grace.first_name, grace.employee_number) == ("Amazing", "E-7002")


@pytest.mark.parametrize("shape", ["string", "object", "list"])
def test_entra_moves_the_reporting_line_with_the_manager_as_string_or_object(scim, cast, grace, shape):
    ref = str(cast.other.pk)
    value = {"string": ref, "object": {"value": ref}, "list": [{"value": ref}]}[shape]
    below = EmployeeFactory(manager=grace)
    status, user = scim.patch(f"Users/{grace.pk}", patch({"op": "Add", "path": MANAGER, "value": value}))
    assert status == 200, user
    grace.refresh_from_db()
    below.refresh_from_db()
    assert grace.manager == cast.other and grace.tree_path == f"{cast.other.tree_path}{grace.pk}/"
    assert below.tree_path == f"{grace.tree_path}{below.pk}/"  # the subtree moved with her
    history = grace.history.count()
    status, again = scim.patch(f"Users/{grace.pk}", patch({"op": "Add", "path": MANAGER, "value": value}))
    assert status == 200 and grace.history.count() == history  # a replay writes nothing


def test_entra_removes_the_manager(scim, grace):
    status, user = scim.patch(f"Users/{grace.pk}", patch({"op": "Remove", "path": MANAGER}))
    assert status == 200 and "manager" not in user[ENTERPRISE]
    grace.refresh_from_db()
    assert grace.manager is None and grace.tree_path == f"/{grace.pk}/"


def test_the_manager_can_be_named_by_the_identity_providers_external_id(scim, cast, grace):
    Employee.objects.filter(pk=cast.other.pk).update(external_id="00u-oskar")
    status, user = scim.patch(f"Users/{grace.pk}", patch({"op": "replace", "path": MANAGER, "value": "00u-oskar"}))
    assert status == 200
    assert Employee.objects.get(pk=grace.pk).manager_id == cast.other.pk


@pytest.mark.parametrize(
    ("who", "kind", "words"),
    [
        ("below", "invalidValue", "loop"),
        ("self", "invalidValue", "own manager"),
        ("hr", "invalidValue", "HR does not sign tours"),
        ("unknown", "invalidValue", "No person has"),
    ],
)
def test_a_manager_the_rules_refuse_is_400_with_the_reason_and_nothing_changes(scim, cast, grace, who, kind, words):
    below = EmployeeFactory(manager=grace)
    ref = {"below": below.pk, "self": grace.pk, "hr": cast.hr.pk, "unknown": "no-such-id"}[who]
    status, body = scim.patch(
        f"Users/{grace.pk}",
        patch(
            {"op": "Replace", "path": "title", "value": "Changed"},
            {"op": "Replace", "path": MANAGER, "value": str(ref)},
        ),
    )
    assert status == 400 and body["scimType"] == kind and words in body["detail"], body
    grace.refresh_from_db()
    assert grace.manager == cast.report and grace.job_title == "Engineer"


def test_a_taken_email_or_employee_number_is_409_uniqueness(scim, cast, grace):
    status, body = scim.patch(
        f"Users/{grace.pk}", patch({"op": "Replace", "path": "userName", "value": cast.other.email})
    )
    assert status == 409 and body["scimType"] == "uniqueness"
    status, body = scim.patch(
        f"Users/{grace.pk}",
        patch({"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": cast.other.employee_number}),
    )
    assert status == 409 and body["scimType"] == "uniqueness" and "employeeNumber" in body["detail"]
    grace.refresh_from_db()
    assert grace.user.email == "grace.hopper@example.com" and grace.employee_number == "E-7001"


def test_delete_records_the_departure_and_the_record_stays_inactive(scim, grace):
    status, _ = scim.delete(f"Users/{grace.pk}")
    assert status == 204
    status, _ = scim.delete(f"Users/{grace.pk}")
    assert status == 204
    assert Departure.objects.filter(employee=grace).count() == 1
    status, user = scim.get(f"Users/{grace.pk}")
    assert status == 200 and user["active"] is False


@override_settings(SSO_ENABLED=True)
def test_with_sso_the_person_signs_in_through_the_identity_provider_and_gets_no_link(
    scim, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, user = scim.post("Users", entra_user())
    assert status == 201
    assert mail.outbox == [] and not SignInLink.objects.filter(employee_id=user["id"]).exists()


def test_groups_are_the_departments_read_only(scim, cast):
    status, groups = scim.get("Groups")
    assert status == 200
    engineering = next(g for g in groups["Resources"] if g["displayName"] == "Engineering")
    members = {m["value"] for m in engineering["members"]}
    assert members == {str(p.pk) for p in (cast.manager, cast.report, cast.report_report)}  # not the alumna
    status, one = scim.get(f"Groups/{engineering['id']}?excludedAttributes=members")
    assert status == 200 and "members" not in one
    status, found = scim.search("Groups", filter='displayName eq "sales"')
    assert [g["displayName"] for g in found["Resources"]] == ["Sales"]
    status, refused = scim.post("Groups", {"displayName": "New"})
    assert status == 501 and "department" in refused["detail"]
    status, refused = scim.patch(f"Groups/{engineering['id']}", patch({"op": "add", "path": "members", "value": []}))
    assert status == 501
