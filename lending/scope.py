"""Which branches a member of staff may act for: desk staff their own, administrators every one."""

from django.http import Http404

from reuse.models import Site
from reuse.roles import ADMIN, has_role


def user_branches(user):
    branches = Site.objects.active().branches()
    if has_role(user, ADMIN):
        return branches
    return branches.filter(staff=user)


def branch_or_404(user, code: str) -> Site:
    branch = user_branches(user).filter(code=code.upper()).first()
    if branch is None:
        raise Http404("No such branch, or not one of yours")
    return branch
