from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    """Everyone signed in. The tours issue builds this section out."""
    return render(request, "tours/index.html")
