"""API tokens on the account page: make one (its secret shown once), revoke one (after a confirmation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from alliance import tokens
from alliance.forms import ApiTokenForm
from alliance.models import ApiToken
from alliance.views.accounts import account_context


@login_required
@never_cache
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST, user=request.user)
    new_token = None
    if form.is_valid():
        try:
            token, new_token = tokens.issue(
                request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
                kind=form.cleaned_data.get("kind", "personal"),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            form = ApiTokenForm(user=request.user)
    context = account_context(request, token_form=form)
    context["new_token"] = new_token
    # The secret is in this response only: never cached (never_cache), never in a redirect's URL or the session.
    return render(request, "alliance/account.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """Revoke one of your tokens (HR: also any service token). Someone else's token is a 404, as an unknown one."""
    token = get_object_or_404(ApiToken.objects.visible_to(request.user).select_related("user"), pk=pk)
    if request.method == "POST":
        tokens.revoke(token)
        messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
        return redirect("account")
    return render(request, "alliance/token_revoke.html", {"token": token, "section": "account"})
