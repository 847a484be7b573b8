"""The API's people: the directory and a person's record, with the people pages' access rules (alliance.access).

List: HR and managers, as the directory page (HR everyone, a manager their whole subtree), with its filters.
One person: whoever may open their page (get_employee_for_user): 404 for anyone else, whether or not the id
exists. An employee opening their own manager gets the card (name, title, team, email), as on the page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from alliance import access
from alliance.listfilters import PeopleFilterForm
from alliance.models import Employee
from alliance.rest import ApiViewSet, form_errors

CARD_FIELDS = {"id", "name", "first_name", "last_name", "job_title", "team", "email"}


class PersonRefSerializer(serializers.Serializer):
    """A person named by another resource (a tour's employee, a manager)."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)
    team = serializers.CharField(source="team.name", default=None, read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    manager = PersonRefSerializer(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="active, starting or departed")

    class Meta:
        model = Employee
        fields = [
            "id",
            "name",
            "first_name",
            "last_name",
            "employee_number",
            "email",
            "job_title",
            "team",
            "manager",
            "hire_date",
            "departure_date",
            "status",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("card"):
            data = {key: value for key, value in data.items() if key in CARD_FIELDS}
        return data


PEOPLE_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Name, email, employee number or job title"),
    OpenApiParameter("team", OpenApiTypes.INT, description="A team's id"),
    OpenApiParameter("manager", OpenApiTypes.STR, description="The manager's employee number or email"),
    OpenApiParameter(
        "status", OpenApiTypes.STR, description="active (the default), starting, departed, or empty for anyone"
    ),
]


@extend_schema_view(
    list=extend_schema(summary="The people directory (HR and managers)", parameters=PEOPLE_FILTERS),
    retrieve=extend_schema(summary="One person, as their page shows them"),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = PersonSerializer
    queryset = Employee.objects.none()  # for the schema; the requests use the access helpers below

    def get_queryset(self):
        self.require("hr", "manager", message="The people directory is for HR and managers.")
        form = PeopleFilterForm(self.request.query_params or None, user=self.request.user)
        if form.is_bound and not form.is_valid():
            raise form_errors(form)
        people = Employee.objects.visible_to(self.request.user).with_related()
        return form.apply(people, self.request.query_params.get("status", Employee.Status.ACTIVE))

    def get_object(self):
        return access.get_employee_for_user(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request, *args, **kwargs):
        employee = self.get_object()
        card = not access.sees_in_full(request.user, employee)
        return Response(PersonSerializer(employee, context={"request": request, "card": card}).data)
