"""Branch scoping: who sees which sites' devices, and which branches each person acts for at the desk."""

from reuse.models import Device, Site
from tests.factories import received_devices


def test_desk_staff_see_their_own_sites_devices_and_it_sees_all(depot, branch, other_branch, alice, dina, carl):
    at_depot = received_devices(1, site=depot, actor=alice)
    at_branch = received_devices(1, site=branch, actor=alice)
    received_devices(1, site=other_branch, actor=alice)
    assert list(Device.objects.visible_to(dina)) == at_branch
    assert set(Device.objects.visible_to(alice)) == set(Device.objects.all())
    assert Device.objects.visible_to(carl).count() == 3
    assert at_depot[0] not in Device.objects.visible_to(dina)
    assert list(Site.objects.visible_to(dina)) == [branch]


def test_desks_are_the_active_branches_one_works_at_and_every_one_for_administrators(
    depot, branch, other_branch, dina, alice, ada
):
    closed = Site.objects.create(code="OLDTOWN", name="Old Town Library", kind=Site.Kind.BRANCH, active=False)
    closed.staff.add(dina)
    assert list(Site.objects.desks_for(dina)) == [branch]
    assert list(Site.objects.desks_for(alice)) == []  # the depot is no desk
    assert set(Site.objects.desks_for(ada)) == {branch, other_branch}


def test_nobody_signed_in_sees_nothing(depot, alice, db):
    from django.contrib.auth.models import AnonymousUser

    received_devices(1, site=depot, actor=alice)
    assert not Device.objects.visible_to(AnonymousUser()).exists()
    assert not Site.objects.desks_for(AnonymousUser()).exists()
