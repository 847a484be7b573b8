"""The API's tours and check-ins, with the tour pages' rules (tours.access) and writes (tours.services).

Tours: the list is for employees and HR (their own and their subtree's; HR all), with the tour list's filters.
One tour: get_tour_for_user (404 for a tour the user may not see, whether or not it exists). Drafting: as
the new-tour page (TourStartForm, TermsForm, the objectives formset), then services.tour_create.
Check-ins: those of the tours the user may see. Recording one: a party to an agreed tour with a check-in due
(get_tour_for_user(..., "check_in")), validated by the page's CheckInForm and ProgressForm, then
services.tour_check_in."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.response import Response

from alliance.api import PersonRefSerializer
from alliance.models import Employee
from alliance.rest import ApiViewSet, form_errors
from tours import access, services
from tours.forms import (
    CheckInForm,
    ObjectiveFormSet,
    ProgressForm,
    TermsForm,
    TourFilterForm,
    TourStartForm,
    objectives_from,
)
from tours.models import CheckIn, CheckInProgress, Objective, Signature, Tour, TourRevision
from tours.timeline import open_due_dates

TOURS_FOR = "Tours of duty are for employees and HR."


def Id(**kwargs):  # noqa: N802  (a field class, by its use)
    """An object's id in a request body: a positive 64-bit integer (a larger one would overflow SQLite's)."""
    return serializers.IntegerField(min_value=1, max_value=2**63 - 1, **kwargs)


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "side", "description", "measure"]


class SignatureSerializer(serializers.ModelSerializer):
    signer = serializers.SerializerMethodField()

    class Meta:
        model = Signature
        fields = ["role", "signer", "signed_at"]

    def get_signer(self, signature) -> str:
        return signature.signer.get_full_name() or signature.signer.email


class RevisionSerializer(serializers.ModelSerializer):
    objectives = ObjectiveSerializer(many=True)
    values = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    signatures = SignatureSerializer(many=True, help_text="Who signed this revision, and when")

    class Meta:
        model = TourRevision
        fields = ["number", *services.TERM_FIELDS, "change_note", "created_at", "values", "objectives", "signatures"]


class TourSerializer(serializers.ModelSerializer):
    employee = PersonRefSerializer()
    manager = PersonRefSerializer(source="employee.manager", allow_null=True)

    class Meta:
        model = Tour
        fields = [
            "id",
            "type",
            "state",
            "title",
            "employee",
            "manager",
            "start_date",
            "end_date",
            "checkin_months",
            "checkin_due_on",
            "next_tour_on",
            "agreed_at",
            "ended_on",
            "outcome",
        ]


class TourDetailSerializer(TourSerializer):
    current_revision = RevisionSerializer(help_text="The latest terms (under negotiation, or in force)")
    agreed_revision_number = serializers.IntegerField(source="agreed_revision.number", allow_null=True)
    amendment_pending = serializers.BooleanField()
    predecessor = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(TourSerializer.Meta):
        fields = [
            *TourSerializer.Meta.fields,
            "programme",
            "predecessor",
            "agreed_revision_number",
            "amendment_pending",
            "current_revision",
            "end_reason",
            "company_kept",
            "employee_kept",
        ]


class NewObjectiveSerializer(serializers.Serializer):
    side = serializers.CharField(help_text="employee or company")
    description = serializers.CharField()
    measure = serializers.CharField(required=False, allow_blank=True)


class TourCreateSerializer(serializers.Serializer):
    """What the new-tour page asks. Checked by that page's forms, so the messages are the page's."""

    employee = Id(help_text="The person's id: yourself, a direct report (or anyone, for HR)")
    type = serializers.CharField(help_text="rotational, transformational or foundational")
    programme = Id(required=False, allow_null=True, help_text="Rotational tours: its id")
    title = serializers.CharField()
    mission = serializers.CharField()
    company_gets = serializers.CharField()
    employee_gets = serializers.CharField()
    company_invests = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    checkin_months = serializers.IntegerField(required=False, min_value=-1000, max_value=1000)
    length_reason = serializers.CharField(required=False, allow_blank=True)
    aspirations_served = serializers.CharField(required=False, allow_blank=True)
    values = serializers.ListField(child=Id(), required=False, max_length=100, help_text="Company value ids")
    change_note = serializers.CharField(required=False, allow_blank=True)
    objectives = NewObjectiveSerializer(many=True, max_length=20)


TERM_KEYS = ["title", "mission", "company_gets", "employee_gets", "company_invests", "start_date", "end_date"]
TERM_KEYS += ["checkin_months", "length_reason", "aspirations_served", "change_note"]


def _form_data(body, keys):
    """A JSON body as the form data a browser would post: strings, a list for a multiple choice."""
    data = QueryDict(mutable=True)
    for key in keys:
        value = body.get(key)
        if value is not None:
            data[key] = str(value)
    return data


TOUR_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Title or employee name"),
    OpenApiParameter("type", OpenApiTypes.STR, description="rotational, transformational or foundational"),
    OpenApiParameter("state", OpenApiTypes.STR, description="draft, proposed, agreed, completed, ended_early"),
    OpenApiParameter("team", OpenApiTypes.INT, description="A team's id"),
    OpenApiParameter("manager", OpenApiTypes.STR, description="The manager's employee number or email"),
    OpenApiParameter("ending_within", OpenApiTypes.INT, description="Agreed tours ending within this many days"),
]


@extend_schema_view(
    list=extend_schema(summary="Tours you may see, with the tour list's filters", parameters=TOUR_FILTERS),
    retrieve=extend_schema(summary="One tour with its current terms, objectives and signatures"),
    create=extend_schema(
        summary="Draft a tour (for yourself, a direct report, or anyone for HR)",
        request=TourCreateSerializer,
        responses={201: TourDetailSerializer},
    ),
)
class TourViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    queryset = Tour.objects.none()  # for the schema; the requests use the access helpers below

    def get_serializer_class(self):
        return TourSerializer if self.action == "list" else TourDetailSerializer

    def get_queryset(self):
        self.require("employee", "hr", message=TOURS_FOR)
        form = TourFilterForm(self.request.query_params or None, user=self.request.user)
        if form.is_bound and not form.is_valid():
            raise form_errors(form)
        tours = Tour.objects.visible_to(self.request.user).select_related("employee__manager")
        return form.apply(tours)

    def get_object(self):
        return self.with_terms(access.get_tour_for_user(self.request.user, self.kwargs["pk"]))

    @staticmethod
    def with_terms(tour):
        """The tour with its current terms: objectives, values and signatures, one query each."""
        signatures = Prefetch("signatures", Signature.objects.select_related("signer"))
        prefetch_related_objects([tour.current_revision], "values", "objectives", signatures)
        return tour

    def create(self, request, *args, **kwargs):
        self.require("employee", "hr", message="Only employees and HR draft tours.")
        body = TourCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        body = body.validated_data
        employee = Employee.objects.visible_to(request.user).filter(pk=body["employee"]).first()
        if employee is None:
            raise exceptions.ValidationError({"employee": ["No one matches this id among the people you can see."]})
        start = TourStartForm(
            _form_data({**body, "employee": self._employee_ref(employee)}, ["employee", "type", "programme"]),
            user=request.user,
        )
        if not start.is_valid():
            raise form_errors(start)
        if not access.may_draft_for(request.user, employee):
            raise exceptions.PermissionDenied("You can draft tours for yourself and your direct reports.")
        tour_type, programme = start.cleaned_data["type"], start.cleaned_data["programme"]
        data = _form_data({"checkin_months": 12 if tour_type == Tour.Type.FOUNDATIONAL else 3, **body}, TERM_KEYS)
        for value in body.get("values", []):
            data.appendlist("values", str(value))
        rows = body["objectives"]
        data.update({"objectives-TOTAL_FORMS": str(len(rows)), "objectives-INITIAL_FORMS": "0"})
        for i, row in enumerate(rows):
            data.update({f"objectives-{i}-{key}": str(value) for key, value in row.items()})
        form = TermsForm(data, tour_type=tour_type, programme=programme)
        formset = ObjectiveFormSet(data, prefix="objectives")
        if not (form.is_valid() & formset.is_valid()):
            errors = form_errors(form).detail
            for i, row in enumerate(formset.forms):
                errors.update(form_errors(row, prefix=f"objectives.{i}").detail)
            if formset.non_form_errors():
                errors["objectives"] = [str(e) for e in formset.non_form_errors()]
            raise exceptions.ValidationError(errors)
        try:
            tour = services.tour_create(
                employee=employee,
                tour_type=tour_type,
                programme=programme,
                terms=form.terms(),
                objectives=objectives_from(formset),
                values=form.cleaned_data["values"],
                author=request.user,
                change_note=form.cleaned_data["change_note"],
            )
        except services.TourError as error:
            raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from None
        tour = self.with_terms(access.get_tour_for_user(request.user, tour.pk))
        return Response(TourDetailSerializer(tour).data, status=status.HTTP_201_CREATED)

    def _employee_ref(self, employee):
        """What the start form's employee field reads: HR's person field an employee number, others' select an id."""
        return employee.employee_number if self.roles.hr else employee.pk


class ProgressSerializer(serializers.ModelSerializer):
    objective = serializers.PrimaryKeyRelatedField(read_only=True)
    description = serializers.CharField(source="objective.description", read_only=True)

    class Meta:
        model = CheckInProgress
        fields = ["objective", "description", "status", "note"]


class CheckInSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    progress = ProgressSerializer(many=True)

    class Meta:
        model = CheckIn
        fields = ["id", "tour", "due_on", "side", "author", "other_side_keeping", "note", "created_at", "progress"]

    def get_author(self, checkin) -> str:
        return checkin.author.get_full_name() or checkin.author.email


class NewProgressSerializer(serializers.Serializer):
    objective = Id(help_text="The id of an objective of the agreed terms")
    status = serializers.CharField(help_text="on_track, at_risk, done or missed")
    note = serializers.CharField(required=False, allow_blank=True)


class CheckInCreateSerializer(serializers.Serializer):
    tour = Id()
    due_on = serializers.DateField(required=False, help_text="A due date still open for your side (default: the first)")
    other_side_keeping = serializers.CharField(help_text="Is the other side keeping its promises? yes, partly or no")
    note = serializers.CharField(required=False, allow_blank=True)
    progress = NewProgressSerializer(
        many=True, max_length=20, help_text="A status for every objective of the agreed terms"
    )


@extend_schema_view(
    list=extend_schema(
        summary="Check-ins on the tours you may see",
        parameters=[OpenApiParameter("tour", OpenApiTypes.INT, description="Only this tour's")],
    ),
    retrieve=extend_schema(summary="One check-in"),
    create=extend_schema(
        summary="Record your side's check-in on a tour",
        request=CheckInCreateSerializer,
        responses={201: CheckInSerializer},
    ),
)
class CheckInViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiViewSet):
    serializer_class = CheckInSerializer
    queryset = CheckIn.objects.none()  # for the schema

    def get_queryset(self):
        if self.action == "list":
            self.require("employee", "hr", message=TOURS_FOR)
        checkins = CheckIn.objects.filter(tour__in=Tour.objects.visible_to(self.request.user))
        tour = self.request.query_params.get("tour")
        if tour is not None:
            if not (tour.isascii() and tour.isdigit()) or len(tour) > 18:
                raise exceptions.ValidationError({"tour": ["A tour's id is a number."]})
            checkins = checkins.filter(tour_id=int(tour))
        return checkins.select_related("author").prefetch_related(
            Prefetch("progress", CheckInProgress.objects.select_related("objective").order_by("objective__position"))
        )

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        body = CheckInCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        body = body.validated_data
        tour = access.get_tour_for_user(request.user, body["tour"], "check_in")
        side = access.party_role(request.user, tour)
        dates = open_due_dates(tour, side) if tour.state == Tour.State.AGREED else []
        if not dates:
            raise exceptions.ValidationError({"tour": ["No check-in is due from you on this tour right now."]})
        due_on = body.get("due_on") or dates[0]
        form = CheckInForm(_form_data({**body, "due_on": due_on.isoformat()}, ["due_on", "other_side_keeping", "note"]),
                           due_dates=dates)  # fmt: skip
        given = {row["objective"]: row for row in body["progress"]}
        objectives = list(tour.agreed_revision.objectives.all())
        unknown = set(given) - {o.pk for o in objectives}
        if unknown:
            message = f"Not an objective of the agreed terms: {sorted(unknown)}."
            raise exceptions.ValidationError({"progress": [message]})
        rows = [(o, ProgressForm(_form_data(given.get(o.pk, {}), ["status", "note"]))) for o in objectives]
        if not (form.is_valid() & all(f.is_valid() for _, f in rows)):
            errors = form_errors(form).detail
            for objective, row in rows:
                errors.update(form_errors(row, prefix=f"progress.{objective.pk}").detail)
            raise exceptions.ValidationError(errors)
        try:
            checkin = services.tour_check_in(
                tour=tour,
                user=request.user,
                due_on=form.cleaned_data["due_on"],
                other_side_keeping=form.cleaned_data["other_side_keeping"],
                note=form.cleaned_data["note"],
                progress=[(o, f.cleaned_data["status"], f.cleaned_data["note"]) for o, f in rows],
            )
        except services.TourError as error:
            raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from None
        checkin = self.get_queryset().get(pk=checkin.pk)
        return Response(CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)
