from django.conf import settings


def service(request):
    """The service's name and council branding, for every template."""
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "COUNCIL_EMAIL": settings.COUNCIL_EMAIL,
    }
