"""The person page: a person with their tours, reports and alumni profile, as the viewer may see them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from alliance import access
from alliance.models import Employee
from tours import access as tour_access


@login_required
def person_detail(request, pk):
    """HR, the person themself, and any manager above them; their direct reports see the card."""
    employee = access.get_employee_for_user(request.user, pk)
    if not access.sees_in_full(request.user, employee):
        return render(request, "alliance/person_card.html", {"employee": employee})
    reports = Employee.objects.direct_reports_of(employee).select_related("team").order_by("last_name", "first_name")
    is_hr = request.roles.hr
    return render(
        request,
        "alliance/person_detail.html",
        {
            "employee": employee,
            "can_draft_tour": tour_access.may_draft_for(request.user, employee),
            "reports": reports[:100],
            "report_count": reports.count(),
            "chain": employee.chain_of_command(),
            "can_edit": is_hr,
            "can_offboard": not employee.has_left()
            and not employee.departure_date
            and (is_hr or employee.user_id != request.user.pk),
            "can_undo_departure": is_hr and employee.departure_date is not None,
            "alumni_profile": getattr(employee, "alumni_profile", None) if is_hr else None,
            "tours": employee.tours.order_by("-start_date")[:20],
            # HR sees whether the person can sign in yet, and when their last sign-in link went out.
            "activated": employee.user.has_usable_password(),
            "last_link": employee.sign_in_links.first() if is_hr else None,
        },
    )
