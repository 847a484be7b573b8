"""The API's insights (network intelligence), with the feed's rules: Contribution.objects.visible_to and
networks.access. The list is the feed (employees and HR, with its filters) and, for an alumnus, what they
shared themselves (their "My insights"); one insight is get_contribution_for_user's (404 when not seen)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from alliance.api import PersonRefSerializer
from alliance.rest import ApiViewSet, form_errors
from networks import access
from networks.forms import FeedFilterForm
from networks.models import Contribution


class InsightSerializer(serializers.ModelSerializer):
    contributor = PersonRefSerializer()
    team = serializers.CharField(source="contributor.team.name", default=None)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Contribution
        fields = [
            "id",
            "kind",
            "title",
            "insight",
            "source",
            "tags",
            "visibility",
            "contributor",
            "team",
            "tour",
            "rating",
            "acted_on",
            "outcome",
            "created_at",
        ]


FEED_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Title or insight"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="market, competitor, technology, talent, customer, other"),
    OpenApiParameter("tag", OpenApiTypes.STR),
    OpenApiParameter("team", OpenApiTypes.INT, description="The contributor's team id"),
    OpenApiParameter("acted_on", OpenApiTypes.STR, description="yes or no"),
    OpenApiParameter("since", OpenApiTypes.DATE),
    OpenApiParameter("until", OpenApiTypes.DATE),
]


@extend_schema_view(
    list=extend_schema(summary="The insights feed you may see, with its filters", parameters=FEED_FILTERS),
    retrieve=extend_schema(summary="One insight"),
)
class InsightViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = InsightSerializer
    queryset = Contribution.objects.none()  # for the schema

    def get_queryset(self):
        self.require("employee", "hr", "alumnus", message=access.EMPLOYEES_AND_HR)
        form = FeedFilterForm(self.request.query_params or None, user=self.request.user)
        items = Contribution.objects.visible_to(self.request.user).with_related()
        if not form.is_bound:
            return items
        if not form.is_valid():
            raise form_errors(form)
        return form.apply(items)

    def get_object(self):
        return access.get_contribution_for_user(self.request.user, self.kwargs["pk"])
