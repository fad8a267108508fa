"""Small endpoints every feature's forms share."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.markdown import render_markdown

# The longest text any form takes (a library item's body), with room for the mention syntax.
MAX_PREVIEW = 60000


@login_required
@require_POST
def markdown_preview_view(request):
    """The text of a writing box as it will look once saved, through the same renderer and
    sanitiser as the saved text. Nothing is stored."""
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW:
        return HttpResponseBadRequest(
            _("The text is too long to preview."), content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
