"""A stand-in for GOV.UK Notify: a small HTTP server in a thread that speaks Notify's v2 endpoints for
sending email and text messages, and checks each request's JWT the way Notify does (HS256, signed with
the API key's secret, `iss` the service id, `iat` within 30 seconds). Tests never reach the real service.

It answers as Notify documents: 201 with the notification; 400 BadRequestError for an unknown template
or a missing personalisation; 400 ValidationError for a phone number that is not a UK mobile; 403
AuthError for a bad token.
"""

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

UK_MOBILE = re.compile(r"^(\+44|0044|0)7\d{9}$")


@dataclass
class Sent:
    kind: str  # "email" or "sms"
    to: str
    template_id: str
    personalisation: dict
    body: dict


@dataclass
class NotifyStub:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    templates: dict = field(default_factory=dict)  # id -> (kind, placeholders)
    sent: list[Sent] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    url: str = ""

    @property
    def api_key(self) -> str:
        return f"relay_tests-{self.service_id}-{self.secret}"

    def template(self, kind: str, *placeholders: str) -> str:
        template_id = str(uuid.uuid4())
        self.templates[template_id] = (kind, set(placeholders))
        return template_id

    def start(self) -> "NotifyStub":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(self.path)
                if kind is None:
                    return self.answer(404, [{"error": "NotFound", "message": "Not found"}])
                problem = stub.check_token(self.headers.get("Authorization", ""))
                if problem:
                    return self.answer(403, [{"error": "AuthError", "message": problem}])
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                status, answer = stub.receive(kind, body)
                self.answer(status, answer)

            def answer(self, status, payload):
                if status >= 400:
                    payload = {"status_code": status, "errors": payload}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def check_token(self, header: str) -> str:
        if not header.startswith("Bearer "):
            return "Unauthorized: authentication token must be provided"
        try:
            claims = jwt.decode(header[7:], self.secret, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.InvalidTokenError:
            return "Invalid token: signature, api token not found"
        if claims.get("iss") != self.service_id:
            return "Invalid token: service not found"
        if abs(time.time() - claims.get("iat", 0)) > 30:
            return "Error: Your system clock must be accurate to within 30 seconds"
        return ""

    def receive(self, kind: str, body: dict):
        template_id = body.get("template_id", "")
        personalisation = body.get("personalisation") or {}
        to = body.get("email_address" if kind == "email" else "phone_number", "")
        template = self.templates.get(template_id)
        if template is None or template[0] != kind:
            return self.refuse(400, "BadRequestError", "Template not found")
        missing = template[1] - set(personalisation)
        if missing:
            return self.refuse(400, "BadRequestError", f"Missing personalisation: {', '.join(sorted(missing))}")
        if kind == "sms" and not UK_MOBILE.match(re.sub(r"[\s()-]", "", to)):
            return self.refuse(400, "ValidationError", "phone_number Not a UK mobile number")
        if kind == "email" and "@" not in to:
            return self.refuse(400, "ValidationError", "email_address Not a valid email address")
        self.sent.append(Sent(kind, to, template_id, personalisation, body))
        notification = str(uuid.uuid4())
        content = {"body": personalisation.get("body", "")}
        if kind == "email":
            content.update(subject=personalisation.get("subject", ""), from_email="relay@notifications.example")
        return 201, {
            "id": notification,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{self.url}/v2/notifications/{notification}",
            "template": {"id": template_id, "version": 1, "uri": f"{self.url}/v2/template/{template_id}"},
        }

    def refuse(self, status: int, error: str, message: str):
        self.refused.append({"status": status, "error": error, "message": message})
        return status, [{"error": error, "message": message}]
