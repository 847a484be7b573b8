"""HR's CSV export of the feed: the same search and filters, through the same visibility rule."""

from django.http import StreamingHttpResponse
from django.utils import timezone

from alliance import access as people_access
from alliance import csvfiles
from networks.forms import FeedFilterForm
from networks.models import Contribution

HEADER = [
    "shared on",
    "kind",
    "title",
    "insight",
    "source",
    "tags",
    "visibility",
    "contributor",
    "employee number",
    "team",
    "usefulness",
    "acted on",
    "what came of it",
]


def _rows(items):
    yield HEADER
    for c in items.iterator(chunk_size=2000):
        person = c.contributor
        yield [
            timezone.localtime(c.created_at).date().isoformat(),
            c.get_kind_display(),
            c.title,
            c.insight,
            c.source,
            ", ".join(t.name for t in c.tags.all()),
            c.get_visibility_display(),
            person.full_name,
            person.employee_number,
            person.team or "",
            c.rating or "",
            "yes" if c.acted_on else "no",
            c.outcome,
        ]


@people_access.require("hr")
def export(request):
    items = Contribution.objects.visible_to(request.user).with_related()
    form = FeedFilterForm(request.GET or None, user=request.user)
    if form.is_valid():
        items = form.apply(items)
    writer = csvfiles.Writer()
    response = StreamingHttpResponse((writer.writerow(row) for row in _rows(items)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="insights-{timezone.localdate().isoformat()}.csv"'
    return response
