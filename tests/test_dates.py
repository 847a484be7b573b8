"""Dates in every form: an `<input type=date>` only understands ISO `YYYY-MM-DD`, and every date
field accepts the same range of years (1950–2199), with a form error outside it instead of a 500."""

import datetime
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from alumni.models import Departure
from tests.factories import make_tour
from tours.models import Tour

APPS = ["alliance", "tours", "networks", "alumni", "audit"]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_date_fields():
    """(form class, field name) for every date field of every form the project defines, wherever it is
    defined (forms modules, but also report filters in reporting.py/reports.py and views)."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    found = []
    for form in _subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] in APPS:
            for name, field in getattr(form, "base_fields", {}).items():
                if isinstance(field, forms.DateField):
                    found.append((form, name))
    return sorted(set(found), key=lambda pair: (pair[0].__module__, pair[0].__qualname__, pair[1]))


DATE_FIELDS = project_date_fields()
IDS = [f"{form.__module__}.{form.__qualname__}.{name}" for form, name in DATE_FIELDS]


def probe(form_class, name, **kwargs):
    """A form holding only that one field, exactly as the form class declares it."""
    return type("Probe", (forms.Form,), {name: form_class.base_fields[name]})(**kwargs)


def test_the_walk_finds_the_date_fields_we_know_of():
    assert len(DATE_FIELDS) >= 15
    assert "alliance.forms.EmployeeForm.hire_date" in IDS and "tours.forms.EndTourForm.ended_on" in IDS


@pytest.mark.parametrize(("form_class", "name"), DATE_FIELDS, ids=IDS)
def test_every_date_input_shows_its_value_as_iso(form_class, name):
    with translation.override("en-gb"):  # the site's language, whose own date format is 30/11/2026
        html = str(probe(form_class, name, initial={name: datetime.date(2026, 11, 30)})[name])
    assert 'type="date"' in html
    value = re.search(r'value="([^"]*)"', html).group(1)
    assert value == "2026-11-30" and datetime.date.fromisoformat(value)


@pytest.mark.parametrize(("form_class", "name"), DATE_FIELDS, ids=IDS)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1949-12-31", "2200-01-01"])
def test_every_date_field_refuses_years_outside_the_supported_range(form_class, name, day):
    form = probe(form_class, name, data={name: day})
    assert not form.is_valid()
    assert form.errors[name] == ["Enter a date between 1950 and 2199."]


@pytest.mark.parametrize(("form_class", "name"), DATE_FIELDS, ids=IDS)
@pytest.mark.parametrize("day", ["1950-01-01", "2026-11-30", "2199-12-31"])
def test_every_date_field_accepts_the_supported_range(form_class, name, day):
    form = probe(form_class, name, data={name: day})
    assert form.is_valid(), form.errors


def test_the_person_edit_page_shows_the_dates_as_iso(cast, client_for):
    # (The departure date is not on the edit form: undoing a departure is its own action.)
    html = client_for("hr").get(reverse("people:edit", args=[cast.report.pk])).text
    assert f'name="hire_date" value="{cast.report.hire_date.isoformat()}"' in html


def test_ending_a_tour_in_year_9999_is_a_form_error_not_a_broken_tour_page(cast, client_for):
    tour = make_tour(cast.report, state="agreed")
    manager = client_for("manager")
    data = {"ended_on": "9999-12-31", "outcome": "successor", "company_kept": "yes", "employee_kept": "yes"}
    response = manager.post(reverse("tours:end", args=[tour.pk]), data)
    assert response.status_code == 200 and "Enter a date between 1950 and 2199." in response.text
    tour.refresh_from_db()
    assert tour.ended_on is None
    assert manager.get(tour.get_absolute_url()).status_code == 200


def test_a_rehire_in_year_9999_is_a_form_error(cast, client_for):
    person = cast.alumnus
    Departure.objects.create(
        employee=person,
        departure_date=person.departure_date,
        reason="other",
        rehire_eligible=True,
        recorded_by=cast.hr.user,
    )
    url = reverse("alumni:rehire", args=[person.alumni_profile.pk])
    data = {"rehired_on": "9999-06-01", "manager": cast.manager.employee_number, "job_title": "Engineer"}
    response = client_for("hr").post(url, data)
    assert response.status_code == 200 and "Enter a date between 1950 and 2199." in response.text
    person.refresh_from_db()
    assert person.departure_date is not None and not Tour.objects.filter(employee=person).exists()
