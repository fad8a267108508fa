"""Erasure after the security review (issue 11): who may erase a staff account (platform
administrators only), and snapshots of communities the person had left."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from kring.accounts.models import User
from kring.privacy.erasure import account_erase
from kring.privacy.tests import test_erase

pytestmark = pytest.mark.django_db(transaction=False)
world = test_erase.world


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


def test_snapshots_of_communities_left_before_forget_the_person(world):
    """Eva left Buurtwerk before she was erased: its older snapshot, which still names her
    with her address, goes too; a snapshot that never had her stays."""
    from kring.communities.models import Membership
    from kring.insights.models import Snapshot, SnapshotMember
    from kring.insights.services import snapshot_create

    w = world
    with_her = snapshot_create(community=w.b)
    assert SnapshotMember.objects.filter(snapshot=with_her, user=w.eva).exists()
    Membership.objects.filter(user=w.eva, community=w.b).delete()
    without_her = snapshot_create(community=w.b)
    assert w.eva.email not in str(without_her.data) + str(without_her.dashboard)

    account_erase(user=w.eva, contributions="keep", by=w.eva)

    assert not Snapshot.objects.filter(pk=with_her.pk).exists()
    assert Snapshot.objects.filter(pk=without_her.pk).exists()
    for snapshot in Snapshot.objects.all():
        assert w.eva.email not in str(snapshot.data) + str(snapshot.dashboard)
    assert not SnapshotMember.objects.filter(user=w.eva).exists()
    for part in SnapshotMember.objects.values_list("data", flat=True):
        assert w.eva.email not in str(part)


def test_erasure_drops_the_kept_dashboard_part_of_a_snapshot_it_deletes(
    world, django_capture_on_commit_callbacks
):
    """The dashboard keeps a snapshot's dashboard part decoded in the cache, names and
    addresses included: erasing someone it names deletes that copy with the snapshot."""
    from django.core.cache import cache

    from kring.insights.selectors import dashboard_part_key, snapshot_latest_dashboard
    from kring.insights.services import snapshot_create

    w = world
    snapshot = snapshot_create(community=w.b)
    assert snapshot_latest_dashboard(community=w.b).pk == snapshot.pk
    assert w.eva.email in str(cache.get(dashboard_part_key(snapshot.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=w.eva, contributions="keep", by=w.eva)

    assert cache.get(dashboard_part_key(snapshot.pk)) is None
