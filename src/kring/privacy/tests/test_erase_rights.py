"""Who may erase a staff account (issue 11, security review): platform administrators only."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.privacy.erasure import account_erase

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def staff_eraser(make_user):
    staff = make_user(is_staff=True, full_name="Sam Staff")
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_user", "delete_user"]
        )
    )
    return staff


def test_staff_may_not_erase_other_staff(staff_eraser, make_user, make_admin):
    other_staff = make_user(is_staff=True)
    with pytest.raises(PermissionDenied, match="Only a platform administrator"):
        account_erase(user=other_staff, contributions="keep", by=staff_eraser)
    assert User.objects.filter(pk=other_staff.pk, erased_at__isnull=True).exists()
    # A platform administrator may; and staff may still erase members and themselves.
    admin, _other_admin = make_admin(), make_admin()
    account_erase(user=other_staff, contributions="keep", by=admin)
    assert not User.objects.filter(pk=other_staff.pk).exists()
    member = make_user()
    account_erase(user=member, contributions="keep", by=staff_eraser)
    account_erase(user=staff_eraser, contributions="keep", by=staff_eraser)
    assert not User.objects.filter(pk__in=[member.pk, staff_eraser.pk]).exists()


def test_admin_action_tells_staff_why(staff_eraser, make_user, make_client):
    other_staff = make_user(is_staff=True)
    client = make_client(staff_eraser)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "erase_keep", "_selected_action": [other_staff.pk], "confirm": "yes"},
        follow=True,
    )
    assert "Only a platform administrator may erase a staff account." in (response.content.decode())
    assert User.objects.filter(pk=other_staff.pk, erased_at__isnull=True).exists()
    page = client.post(
        f"/admin/accounts/user/{other_staff.pk}/erase/", {"contributions": "keep"}, follow=True
    )
    assert "Only a platform administrator may erase a staff account." in page.content.decode()
    assert User.objects.filter(pk=other_staff.pk).exists()
