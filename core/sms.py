"""Text messages, through the sender SMS_BACKEND chooses: `console` (printed, for development), `notify`
(GOV.UK Notify, `core.notify.NotifySmsSender`) or `off` (none sent: callers fall back to email).
Callers never log the number or the words."""

import sys
import threading

from django.conf import settings
from django.utils.module_loading import import_string

SENDERS = {"console": "core.sms.ConsoleSmsSender", "notify": "core.notify.NotifySmsSender"}
_lock = threading.Lock()


class ConsoleSmsSender:
    """Writes each message to standard output, as Django's console email backend does with email."""

    def send(self, *, to: str, body: str) -> None:
        with _lock:
            sys.stdout.write(f"SMS to {to}\n{body}\n{'-' * 40}\n")
            sys.stdout.flush()


def sms_enabled() -> bool:
    return settings.SMS_BACKEND in SENDERS


def send_sms(*, to: str, body: str) -> None:
    """Send one text message; raises the sender's error (core.notify.NotifyError) if it is refused."""
    if not sms_enabled():
        raise RuntimeError("SMS_BACKEND is off: check sms_enabled() before sending")
    import_string(SENDERS[settings.SMS_BACKEND])().send(to=to, body=body)
