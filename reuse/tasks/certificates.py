"""django-q2 entry points for certificates: take a primary key, call the service."""

from reuse.models import Certificate
from reuse.services.certificates import certificate_render as render


def certificate_render(certificate_id: int) -> None:
    render(certificate=Certificate.objects.get(pk=certificate_id))
