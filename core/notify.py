"""GOV.UK Notify as a delivery backend: a Django email backend, and an SMS sender beside it.

Both send through one generic Notify template each, whose content is all personalisation: an email
template with `((subject))` and `((body))` (NOTIFY_EMAIL_TEMPLATE_ID), one more with `((link_to_file))`
for a message carrying a document (NOTIFY_EMAIL_FILE_TEMPLATE_ID), and a text message template with
`((body))` (NOTIFY_SMS_TEMPLATE_ID). Relay's own templates write the words; Notify delivers them.
Chosen by EMAIL_BACKEND=notify and SMS_BACKEND=notify with NOTIFY_API_KEY (see README).
"""

import io
import logging

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client import prepare_upload
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

log = logging.getLogger(__name__)
# Notify sends one document of at most 2 MB by link.
MAX_FILE_BYTES = 2 * 1024 * 1024


class NotifyError(Exception):
    """Notify refused a message, or it cannot be sent through Notify as it is."""


def notify_client() -> NotificationsAPIClient:
    return NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)


def _refusal(error: APIError) -> str:
    """Notify's own words for a refusal (never the recipient's address)."""
    messages = [item.get("message", "") for item in getattr(error, "message", []) if isinstance(item, dict)]
    return "; ".join(m for m in messages if m) or f"HTTP {getattr(error, 'status_code', '?')}"


class NotifyEmailBackend(BaseEmailBackend):
    """Django's email backend interface over GOV.UK Notify: one Notify email per recipient."""

    def send_messages(self, email_messages) -> int:
        client = notify_client()
        sent = 0
        for message in email_messages:
            try:
                sent += self._send(client, message)
            except (APIError, NotifyError) as error:
                if not self.fail_silently:
                    raise NotifyError(str(error) if isinstance(error, NotifyError) else _refusal(error)) from None
                log.warning("GOV.UK Notify refused an email: %s", error)
        return sent

    def _send(self, client: NotificationsAPIClient, message) -> int:
        personalisation = {"subject": message.subject, "body": message.body}
        template = settings.NOTIFY_EMAIL_TEMPLATE_ID
        if message.attachments:
            template = settings.NOTIFY_EMAIL_FILE_TEMPLATE_ID
            personalisation["link_to_file"] = self._file(message.attachments)
            if not template:
                raise NotifyError("This email carries a document: set NOTIFY_EMAIL_FILE_TEMPLATE_ID to send it.")
        recipients = list(message.to) + list(message.cc) + list(message.bcc)
        for address in recipients:
            client.send_email_notification(email_address=address, template_id=template, personalisation=personalisation)
        return 1 if recipients else 0

    @staticmethod
    def _file(attachments) -> dict:
        if len(attachments) != 1:
            raise NotifyError("GOV.UK Notify sends one document per email.")
        attachment = attachments[0]
        name, content = (attachment.filename, attachment.content) if hasattr(attachment, "filename") else attachment[:2]
        data = content.encode() if isinstance(content, str) else content
        if len(data) > MAX_FILE_BYTES:
            raise NotifyError("GOV.UK Notify sends documents of at most 2 MB.")
        return prepare_upload(io.BytesIO(data), filename=name)


class NotifySmsSender:
    """Text messages through GOV.UK Notify's generic SMS template."""

    def send(self, *, to: str, body: str) -> None:
        try:
            notify_client().send_sms_notification(
                phone_number=to, template_id=settings.NOTIFY_SMS_TEMPLATE_ID, personalisation={"body": body}
            )
        except APIError as error:
            raise NotifyError(_refusal(error)) from None
