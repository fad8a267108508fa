"""Reads for your data. Every read takes the viewer: nobody reaches another person's export."""

from django.shortcuts import get_object_or_404

from kring.accounts.models import User
from kring.privacy.models import DataExport


def data_export_get(*, user: User, pk: int) -> DataExport:
    """One of your own exports; 404 for anyone else's (a guessed id reveals nothing)."""
    return get_object_or_404(DataExport, pk=pk, user=user)


def data_export_latest(*, user: User) -> DataExport | None:
    """The export the page and the API show: your most recent request."""
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-id").first()
