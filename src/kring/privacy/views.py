"""`/me/data/`: what Kring keeps about you, a copy of it, and the way out."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kring.privacy import views_erase, views_export


@login_required
def data_view(request):
    context = {**views_export.section_context(request), **views_erase.section_context(request)}
    return render(request, "privacy/data.html", context)
