"""An alumna whose personal data was erased (portal.privacy.erase) is no SCIM resource any more. Her record stays
for the reports ("Former employee #N"), but an identity provider still holding her old id, userName or externalId
neither finds nor changes it: every call on Users/<her id> is 404 and writes nothing, and no list or filter
returns her."""

import pytest
from django.forms.models import model_to_dict

from alliance.models import Employee, Notification, User
from alumni.models import Departure
from portal import privacy
from scim import services
from scim.protocol import ScimError
from tests.scim.shapes import ENTERPRISE, entra_user, okta_user, patch

pytestmark = pytest.mark.django_db


@pytest.fixture
def erased(cast):
    alma = cast.alumnus
    Employee.objects.filter(pk=alma.pk).update(external_id="00u-alma", employee_number="E-ALMA")
    privacy.erase(alma)
    alma = Employee.objects.select_related("user").get(pk=alma.pk)
    assert alma.is_erased and alma.first_name == "Former employee"
    return alma


def saved(person):
    """Everything stored about her that a SCIM write could touch, read afresh from the database."""
    employee = Employee.objects.get(pk=person.pk)
    user = User.objects.get(pk=person.user_id)
    return {
        "employee": {**model_to_dict(employee), "updated_at": employee.updated_at},
        "user": {**model_to_dict(user, exclude=["groups", "user_permissions"]), "password": user.password},
        "departures": list(Departure.objects.filter(employee=person).values()),
        "history": (Employee.history.filter(id=person.pk).count(), User.history.filter(id=person.user_id).count()),
        "departure_history": Departure.history.filter(employee_id=person.pk).count(),
        "notifications": Notification.objects.count(),
    }


WRITES = [
    ("put", okta_user(email="alumnus@test.example", given="Alma", family="Udo", externalId="00u-alma")),
    ("put", {**entra_user(email="new@example.com"), "active": False}),
    ("patch", patch({"op": "replace", "value": {"active": False}})),
    ("patch", patch({"op": "Replace", "path": "active", "value": "True"})),
    ("patch", patch({"op": "replace", "path": "name.givenName", "value": "Alma"})),
    ("patch", patch({"op": "add", "path": "externalId", "value": "00u-alma"})),
    ("patch", patch({"op": "replace", "path": "userName", "value": "alma.udo@example.com"})),
    ("patch", patch({"op": "replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "E-ALMA"})),
    ("delete", None),
]


@pytest.mark.parametrize("method, body", WRITES, ids=[f"{m}-{i}" for i, (m, _) in enumerate(WRITES)])
def test_every_write_on_an_erased_person_is_404_and_changes_nothing(scim, erased, method, body):
    before = saved(erased)
    call = getattr(scim, method)
    status, answer = call(f"Users/{erased.pk}", body) if body is not None else call(f"Users/{erased.pk}")
    assert status == 404 and answer["status"] == "404", answer
    assert saved(erased) == before
    # A retry is the same answer, never a 500 or a write.
    status, _ = call(f"Users/{erased.pk}", body) if body is not None else call(f"Users/{erased.pk}")
    assert status == 404 and saved(erased) == before


def test_an_erased_person_cannot_be_read_listed_or_found_by_her_old_identifiers(scim, cast, erased):
    status, answer = scim.get(f"Users/{erased.pk}")
    assert status == 404 and "Former employee" not in str(answer)
    status, everyone = scim.get("Users?startIndex=1&count=200")
    ids = {u["id"] for u in everyone["Resources"]}
    assert str(erased.pk) not in ids and str(cast.report.pk) in ids
    assert everyone["totalResults"] == Employee.objects.count() - 1
    for filter_ in (
        'userName eq "alumnus@test.example"',
        'emails[type eq "work"].value eq "alumnus@test.example"',
        'externalId eq "00u-alma"',
        f'id eq "{erased.pk}"',
        'employeeNumber eq "E-ALMA"',
        f'employeeNumber eq "erased-{erased.pk}"',
        f'userName eq "{erased.user.email}"',
        "active eq false",
    ):
        status, found = scim.search("Users", filter=filter_)
        assert status == 200 and str(erased.pk) not in {u["id"] for u in found["Resources"]}, filter_
    status, found = scim.search("Users", filter="active eq false")
    assert found["totalResults"] == 0  # the cast's only departed person was she


def test_an_erased_person_cannot_be_named_as_a_manager(scim, cast, erased):
    before = Employee.objects.get(pk=cast.report.pk).manager_id
    body = patch({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": str(erased.pk)})
    status, answer = scim.patch(f"Users/{cast.report.pk}", body)
    assert status == 400 and answer["scimType"] == "invalidValue"
    assert Employee.objects.get(pk=cast.report.pk).manager_id == before


def test_an_erasure_committed_while_a_request_waited_for_the_lock_is_404_and_nothing_is_written(cast):
    """The view read her before the erasure; the service reads her again under the row lock and stops."""
    alma = Employee.objects.with_related().get(pk=cast.alumnus.pk)  # as the view loaded her
    privacy.erase(cast.alumnus)
    before = saved(alma)
    with pytest.raises(ScimError) as refused:
        services.user_save(employee=alma, asked={"first_name": "Alma", "external_id": "00u-alma"}, by=cast.hr.user)
    assert refused.value.status == 404
    assert saved(alma) == before
