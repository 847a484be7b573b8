"""The API's alumni, with the alumni pages' rules (alumni.access, AlumniProfile.objects.visible_to).

HR: the roster (every alumnus, with its filters) and any profile. Employees and alumni: the directory
(listed alumni, each showing only what they chose: a personal email or link only if they ticked it), with
its filters. An alumnus: their own profile (`/alumni/me/`), read and updated through the page's ProfileForm.
A profile outside a person's reach is 404, as an unknown id."""

from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from alliance.rest import ApiViewSet, form_errors
from alumni import access
from alumni.forms import ProfileForm
from alumni.models import AlumniProfile
from alumni.views.roster import directory_profiles, roster_profiles

INTERESTS = [field for field, _ in AlumniProfile.INTERESTS]
DIRECTORY_FOR = "The alumni directory is for employees and alumni."


class DirectoryEntrySerializer(serializers.ModelSerializer):
    """A listed alumnus as the directory shows them."""

    name = serializers.CharField(source="employee.full_name")
    interests = serializers.SerializerMethodField()
    personal_email = serializers.SerializerMethodField()
    profile_url = serializers.SerializerMethodField()

    class Meta:
        model = AlumniProfile
        fields = ["id", "name", "current_employer", "current_title", "location", "interests"]
        fields += ["personal_email", "profile_url"]

    def get_interests(self, profile) -> list[str]:
        return [field for field in INTERESTS if getattr(profile, field)]

    def get_personal_email(self, profile) -> str | None:
        return profile.personal_email if profile.show_personal_email and profile.personal_email else None

    def get_profile_url(self, profile) -> str | None:
        return profile.profile_url if profile.show_profile_url and profile.profile_url else None


class ProfileSerializer(serializers.ModelSerializer):
    """A whole profile: HR's roster, and an alumnus's own."""

    name = serializers.CharField(source="employee.full_name", read_only=True)
    email = serializers.EmailField(source="employee.user.email", read_only=True)
    departure_date = serializers.DateField(source="employee.departure_date", read_only=True)
    stale = serializers.BooleanField(source="is_stale", read_only=True)

    class Meta:
        model = AlumniProfile
        fields = ["id", "name", "email", "departure_date", "tier", "joined_at", "updated_at", "stale"]
        fields += ProfileForm.Meta.fields
        read_only_fields = ["id", "tier", "joined_at", "updated_at"]


class ProfileUpdateSerializer(serializers.ModelSerializer):
    """What an alumnus may change: the fields of their profile page's form. Any subset (PATCH)."""

    class Meta:
        model = AlumniProfile
        fields = ProfileForm.Meta.fields
        extra_kwargs = {field: {"required": False} for field in ProfileForm.Meta.fields}


ALUMNI_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Name (HR: name or email)"),
    OpenApiParameter("employer", OpenApiTypes.STR),
    OpenApiParameter("location", OpenApiTypes.STR),
    OpenApiParameter("interest", OpenApiTypes.STR, description=", ".join(INTERESTS)),
    OpenApiParameter("tier", OpenApiTypes.STR, description="HR: alumni or distinguished"),
    OpenApiParameter("eligible", OpenApiTypes.STR, description="HR: yes, no or unknown"),
    OpenApiParameter("stale", OpenApiTypes.BOOL, description="HR: profiles not updated for 12 months"),
]


@extend_schema_view(
    list=extend_schema(summary="HR: the alumni roster; employees and alumni: the directory", parameters=ALUMNI_FILTERS),
    retrieve=extend_schema(summary="One alumnus (HR), or a directory entry"),
)
class AlumnusViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = AlumniProfile.objects.none()  # for the schema

    def get_serializer_class(self):
        return ProfileSerializer if self.roles.hr or self.action == "me" else DirectoryEntrySerializer

    def get_queryset(self):
        request = self.request._request  # the pages' query functions read a Django request
        if self.roles.hr:
            form, profiles = roster_profiles(request)
        else:
            self.require("employee", "alumnus", message=DIRECTORY_FOR)
            form, profiles = directory_profiles(request)
        if form.is_bound and not form.is_valid():
            raise form_errors(form)
        return profiles.select_related("employee__user")

    def get_object(self):
        if self.roles.hr:
            return access.get_profile_for_user(self.request.user, self.kwargs["pk"])
        self.require("employee", "alumnus", message=DIRECTORY_FOR)
        listed = AlumniProfile.objects.visible_to(self.request.user).in_directory()
        return get_object_or_404(listed.select_related("employee"), pk=self.kwargs["pk"])

    @extend_schema(summary="Your own alumni profile", responses=ProfileSerializer)
    @action(detail=False, methods=["get"], url_path="me")
    def me(self, request):
        return Response(ProfileSerializer(self._mine()).data)

    @extend_schema(
        summary="Update your alumni profile (any of its fields)",
        request=ProfileUpdateSerializer,
        responses=ProfileSerializer,
    )
    @me.mapping.patch
    def me_update(self, request):
        profile = self._mine()
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send the fields to change as a JSON object."]})
        unknown = set(request.data) - set(ProfileForm.Meta.fields)
        if unknown:
            raise exceptions.ValidationError({field: ["This field cannot be changed here."] for field in unknown})
        data = {**model_to_dict(profile, fields=ProfileForm.Meta.fields), **request.data}
        data = {key: value for key, value in data.items() if value is not False}  # an unticked box is absent
        form = ProfileForm(data, instance=profile)
        if not form.is_valid():
            raise form_errors(form)
        profile = form.save(commit=False)
        profile.updated_at = timezone.now()
        profile.save()
        return Response(ProfileSerializer(self._mine()).data)

    def _mine(self):
        self.require("alumnus", message=access.ALUMNI_ONLY)
        return access.my_profile(self.request.user)
