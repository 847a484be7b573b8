import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

from alumni.models import AlumniProfile, Referral, Rehire
from tests.factories import EmployeeFactory

TODAY = datetime.date.today()
URL = reverse("alumni:report")


def test_exact_alumni_figures(cast, client_for):
    old = timezone.now() - datetime.timedelta(days=400)
    for i in range(3):
        person = EmployeeFactory(manager=cast.manager, departure_date=TODAY - datetime.timedelta(days=5))
        AlumniProfile.objects.create(employee=person, joined_at=timezone.now(), mentoring=i < 2,
                                     tier="distinguished" if i == 0 else "alumni",
                                     updated_at=old if i == 2 else timezone.now())  # fmt: skip
    # Left and came back: counted once as a boomerang, not as an alumnus.
    Rehire.objects.create(employee=cast.report, rehired_on=TODAY - datetime.timedelta(days=100), by=cast.hr.user)
    Referral.objects.create(referrer=cast.alumnus, candidate_name="A", contact="a@x.example", status="hired")
    Referral.objects.create(referrer=cast.alumnus, candidate_name="B", contact="b@x.example")
    figures = dict(client_for("hr").get(URL).context["rows"])
    assert figures["Alumni"] == 4  # the three and the cast's alumnus
    assert figures["Distinguished alumni"] == 1
    assert figures["Profiles updated in the last 12 months"] == 3
    assert figures["Share updated in the last 12 months"] == "75%"
    assert figures["Boomerangs (rehired)"] == 1
    assert figures["Referrals hired"] == 1 and figures["Referrals new"] == 1
    assert figures["Interested in: mentoring"] == 2
    mine = dict(client_for("report").get(URL).context["rows"])  # the report manages no alumni
    assert mine["Alumni"] == 0 and mine["Share updated in the last 12 months"] == "—"
    exported = list(csv.reader(io.StringIO(b"".join(client_for("hr").get(URL, {"format": "csv"})
                                                        .streaming_content).decode())))  # fmt: skip
    assert exported[1:] == [[k, str(v)] for k, v in figures.items()]
