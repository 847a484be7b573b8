"""An alumna's copy of her data and the erasure of it: both reach into every app, so they live here."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render

from alliance import access as people_access
from alumni import access
from portal import privacy


@people_access.require("alumnus", message=access.ALUMNI_ONLY)
def me_export(request):
    profile = access.my_profile(request.user)
    data = json.dumps(privacy.export(profile.employee), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-alliance-data.json"'
    return response


@people_access.require("alumnus", message=access.ALUMNI_ONLY)
def me_delete(request):
    profile = access.my_profile(request.user)
    if request.method == "POST":
        if request.POST.get("confirm") != "DELETE":
            messages.error(request, "Type DELETE in capitals to confirm.")
            return redirect("alumni:me_delete")
        privacy.erase(profile.employee)
        logout(request)
        return render(request, "alumni/deleted.html")
    return render(request, "alumni/me_delete.html", {"profile": profile})
