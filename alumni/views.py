from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    """Everyone signed in. The alumni issue builds this section out."""
    return render(request, "alumni/index.html")
