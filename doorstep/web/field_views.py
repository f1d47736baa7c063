"""The collectors' field app (a PWA): the app shell, its service worker and its web manifest.

The app itself is static JavaScript (doorstep/web/static/field/) talking to the field API
(docs/field-app.md); these views only serve the shell with the user's language, the UI strings and
the settings the phone needs while offline.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from doorstep.common.i18n import active_language
from doorstep.field.core.guidance import ARREARS_REASONS, PARTIES_MET, TENSION_LEVELS
from doorstep.field.core.plans import Interval
from doorstep.field.selectors import user_may_use_field_app

# What the service worker keeps for offline use besides the shell and the day's route.
ASSETS = ("field/app.js", "field/outbox.js", "field/signature.js", "field/field.css", "field/icon.svg")
THEME_COLOUR = "#0b3d5c"
BACKGROUND_COLOUR = "#f4f1ea"
# Files larger than this are not hashed on the phone (WebCrypto reads the whole file into memory);
# the collector types the recorder's reference and SHA-256 instead.
LARGEST_HASHED_FILE = 300 * 1024 * 1024


def _chinese() -> bool:
    return active_language() == "zh"


def _strings() -> dict[str, str]:
    """The UI's words in the active language. `{name}` placeholders are filled in by app.js."""
    return {
        "loading": _("Loading your route…"),
        "online": _("Online"),
        "offline": _("Offline"),
        "toSync": _("{n} to sync"),
        "savedAt": _("Offline, showing the route saved at {time}"),
        "noSavedRoute": _("Offline, and this phone has no saved route yet."),
        "noRoutes": _("No published route for you today."),
        "loadFailed": _("The route could not be loaded: {message}"),
        "progress": _("{closed} of {total} visits closed"),
        "sessionEnded": _("Your session has ended. Log in again: nothing waiting to sync is lost."),
        "certificateMissing": _("You hold no valid field certificate, so you are not planned for visits."),
        "certificateExpires": _("Your field certificate expires on {date}: renew it by passing the courses again."),
        "openTraining": _("Open training"),
        "logIn": _("Log in"),
        "sos": _("SOS"),
        "sosSent": _("SOS alert sent to your supervisor."),
        "sosQueued": _("SOS alert saved: it is sent as soon as the network returns."),
        "sosSending": _("Sending the SOS alert…"),
        "sosSms": _("Send the SOS as a text message"),
        "sosSmsBody": _("SOS from {user} (Doorstep): position {lat},{lon} (±{accuracy} m) at {time}."),
        "sosApproximate": _("No position fix: the alert carries the stop's address."),
        "attention": _("Needs attention"),
        "attentionHelp": _("The server did not accept these. Read each message, then retry or dismiss it."),
        "retry": _("Retry"),
        "retryAll": _("Retry all, in order"),
        "dismiss": _("Dismiss"),
        "rules": _("Rules"),
        "allStops": _("All stops"),
        "refresh": _("Refresh"),
        "window": _("Planned {start}–{end}"),
        "navigate": _("Navigate"),
        "amap": _("Amap"),
        "safetyBanner": _("Safety: read this before you go"),
        "flags": _("Safety flags"),
        "brief": _("Brief"),
        "borrower": _("Borrower"),
        "name": _("Name"),
        "nationalId": _("ID number"),
        "phone": _("Phone"),
        "address": _("Address"),
        "language": _("Agreed language"),
        "bucket": _("Bucket"),
        "daysPastDue": _("{n} days past due"),
        "collectible": _("Collectible"),
        "overdue": _("Overdue"),
        "lastContacts": _("Earlier contacts"),
        "none": _("None"),
        "states": _("States"),
        "requirements": _("Rules for this visit"),
        "status_none": _("Not started"),
        "status_checking_in": _("Checking in"),
        "status_in_progress": _("In progress"),
        "status_closed": _("Closed"),
        "status_pending": _("Waiting to sync"),
        "op_pending": _("waiting to sync"),
        "op_applied": _("saved"),
        "op_replayed": _("saved"),
        "op_rejected": _("refused"),
        "op_conflict": _("conflict"),
        "op_forbidden": _("not allowed"),
        "step_check_in": _("Check in"),
        "step_id_shown": _("Work ID and mandate"),
        "step_entry": _("Entry"),
        "step_met": _("Who was met"),
        "step_reason": _("Reason for arrears"),
        "step_finances": _("Income and expenses"),
        "step_outcomes": _("Outcomes"),
        "step_check_out": _("Check out"),
        "step_recording": _("Recording"),
        "step_close": _("Close the visit"),
        "notNeeded": _("Not needed for this visit"),
        "checkInHelp": _("Check in at the door. Start the recording now: it must run from check-in to check-out."),
        "checkIn": _("Check in"),
        "locating": _("Getting your position…"),
        "noPosition": _("No position ({message}). Allow location access and try again."),
        "recordingSince": _("Recording since {time}: keep it running until you check out."),
        "teamCount": _("{n} of {needed} team members checked in"),
        "waitingPartner": _("Waiting for your partner to check in on their own phone: "
                            "a visit in China needs {needed} collectors."),
        "offlineStart": _("Offline: the visit is kept on this phone and starts on the server once "
                          "both check-ins arrive there."),
        "idHelp": _("Show your work ID and the mandate to the person at the door."),
        "mandate": _("Mandate number"),
        "idShown": _("ID and mandate shown"),
        "mandateMissing": _("Type the mandate number first."),
        "entryHelp": _("Enter the home only if the occupant invites you in."),
        "stayedOutside": _("Stayed outside"),
        "invitedIn": _("Invited in (consent given)"),
        "metHelp": _("Who did you speak to?"),
        "reasonHelp": _("Why is the borrower behind with payments?"),
        "note": _("Note (optional)"),
        "saveReason": _("Save the reason"),
        "chooseReason": _("Choose a reason first."),
        "income": _("Monthly income"),
        "expenses": _("Essential monthly expenses"),
        "saveFinances": _("Save income and expenses"),
        "skipFinances": _("Not disclosed: skip"),
        "financesMissing": _("Type both amounts, or skip."),
        "surplus": _("Monthly surplus {amount}"),
        "tension": _("Tension"),
        "leaveNow": _("Leave now: the visit ends. Check out once you are safe."),
        "askedToLeave": _("Asked to leave"),
        "askedToLeaveDone": _("The borrower asked you to leave: check out, attach the recording and close."),
        "outcomesHelp": _("Record any number of outcomes, then go on to check-out."),
        "outcomesDone": _("Done: go to check-out"),
        "promise": _("Promise to pay"),
        "amount": _("Amount"),
        "dueOn": _("Due on"),
        "recordPromise": _("Record the promise"),
        "plan": _("Repayment plan"),
        "total": _("Total"),
        "count": _("Installments"),
        "interval": _("Every"),
        "firstDueOn": _("First due on"),
        "downPayment": _("Down payment"),
        "preview": _("Preview (the server recomputes it)"),
        "proposePlan": _("Propose the plan"),
        "planNeedsApproval": _("Waiting for a supervisor's approval"),
        "planWillNeedApproval": _("Above {limit}: a supervisor must approve it once it is sent."),
        "planApproved": _("Approved: the borrower may sign"),
        "planRejected": _("The supervisor rejected the plan: {note}"),
        "planSigned": _("Signed"),
        "signerName": _("Signer's full name"),
        "signHere": _("Signature"),
        "clear": _("Clear"),
        "sign": _("Sign"),
        "signatureMissing": _("Type the signer's name and sign in the box first."),
        "agreementZh": _("Agreement (Chinese PDF)"),
        "agreementEn": _("Agreement (English PDF)"),
        "payment": _("Payment link"),
        "cash": _("Cash with receipt"),
        "cashHelp": _("Take cash only against the next numbered official receipt; hand the receipt over and "
                      "deposit the cash today. Prefer the payment link."),
        "receiptNumber": _("Receipt number"),
        "recordCash": _("Record the cash receipt"),
        "receiptMissing": _("Enter the receipt number printed on the receipt."),
        "createPayment": _("Create the payment QR code"),
        "paymentOffline": _("A payment link needs a connection: it comes from the lender's payment gateway."),
        "paymentWaiting": _("Creating the payment link…"),
        "openPayment": _("Open the payment link"),
        "dispute": _("Dispute"),
        "disputeReason": _("What is disputed"),
        "recordDispute": _("Record the dispute"),
        "complaint": _("Complaint"),
        "complaintSummary": _("Summary of the complaint"),
        "recordComplaint": _("Record the complaint"),
        "textMissing": _("Type the text first."),
        "amountMissing": _("Type an amount and a date first."),
        "checkOutHelp": _("Check out when you leave, and stop the recording."),
        "checkOut": _("Check out"),
        "checkedOut": _("{n} of {total} checked out"),
        "recordingHelp": _("Attach the recording that ran from check-in to check-out: choose the file, or "
                           "type the recorder's reference and the SHA-256 it shows."),
        "recordingFile": _("Recording file"),
        "recordingReference": _("Recorder reference"),
        "recordingSha": _("SHA-256"),
        "attach": _("Attach"),
        "hashing": _("Computing the SHA-256…"),
        "fileTooLarge": _("This file is too large to hash on the phone: type the recorder's reference "
                          "and SHA-256 instead."),
        "shaInvalid": _("The SHA-256 is 64 characters, 0-9 and a-f."),
        "recordings": _("Recordings"),
        "closeHelp": _("How did the visit end?"),
        "close": _("Close the visit"),
        "outcome_met": _("Met"),
        "outcome_not_home": _("Nobody at home"),
        "outcome_refused": _("Refused to talk"),
        "outcome_unsafe": _("Left for safety"),
        "closing": _("Closing: waiting for the server's answer."),
        "visitClosed": _("Visit closed"),
        "refused": _("The server refused this"),
        "queuedHere": _("Saved on this phone, waiting to sync"),
        "monthly": Interval.MONTHLY.label_zh if _chinese() else Interval.MONTHLY.label_en,
        "biweekly": Interval.BIWEEKLY.label_zh if _chinese() else Interval.BIWEEKLY.label_en,
        "weekly": Interval.WEEKLY.label_zh if _chinese() else Interval.WEEKLY.label_en,
    }


def _labels() -> dict[str, Any]:
    """The visit's domain words (reasons, parties, tension levels with their de-escalation prompts)
    come from the field core, which holds both languages: the same texts the server answers with."""
    chinese = _chinese()
    return {
        "reasons": [{"code": label.code, "label": label.zh if chinese else label.en,
                     "hint": label.hint_zh if chinese else label.hint_en} for label in ARREARS_REASONS],
        "parties": [{"code": label.code, "label": label.zh if chinese else label.en,
                     "hint": label.hint_zh if chinese else label.hint_en} for label in PARTIES_MET],
        "tension": [{"level": level.level, "label": level.zh if chinese else level.en,
                     "prompts": list(level.prompts_zh if chinese else level.prompts_en)} for level in TENSION_LEVELS],
        # Codes the brief carries; an unknown code is shown as it is.
        "flags": {"dog": _("a dog at the address"), "aggression_history": _("history of aggression")},
        "channels": {"visit": _("visit"), "call": _("call"), "sms": _("SMS"), "letter": _("letter")},
        "outcomes": {"pending": _("pending"), "no_answer": _("no answer"), "connected": _("connected"),
                     "invalid_number": _("number invalid"), "met": _("met in person"), "not_met": _("nobody met"),
                     "delivered": _("delivered"), "refused": _("refused to talk")},
    }


def _config(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "user": {"id": user.pk, "name": user.get_full_name() or user.username},
        # The cookie is read first; this copy serves only if the cookie is missing.
        "csrfToken": get_token(request),
        "language": get_language() or settings.LANGUAGE_CODE,
        "urls": {"today": reverse("field-api:today"), "sync": reverse("field-api:sync"),
                 "plans": reverse("field-api:plan", kwargs={"plan_id": 0}).removesuffix("0/"),
                 "serviceWorker": reverse("web:field-sw"), "scope": reverse("web:field-app"),
                 "login": f"{reverse('web:login')}?next={reverse('web:field-app')}",
                 "training": reverse("web:training")},
        "planApprovalAbove": str(settings.DOORSTEP_FIELD_PLAN_APPROVAL_ABOVE),
        "largestHashedFile": LARGEST_HASHED_FILE,
        "strings": _strings(),
        "labels": _labels(),
    }


@require_GET
@never_cache  # it carries the user and a CSRF token; the service worker keeps the offline copy
@login_required
def field_app(request: HttpRequest) -> HttpResponse:
    """The app shell. A non-collector gets a short page saying whom the app is for (403)."""
    if not user_may_use_field_app(request.user):
        return render(request, "field/app.html", {"allowed": False}, status=403)
    return render(request, "field/app.html", {"allowed": True, "config": _config(request),
                                              "theme_colour": THEME_COLOUR})


def _asset_version() -> str:
    """A digest of the cached files: a new deployment changes the worker's bytes, so the phone
    installs it and drops the old cache."""
    digest = hashlib.sha256()
    for asset in ASSETS:
        found = finders.find(asset)
        path = found[0] if isinstance(found, list) else found
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        else:
            digest.update(static(asset).encode())
    return digest.hexdigest()[:16]


@require_GET
def field_service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(asset) for asset in ASSETS] + [reverse("web:field-manifest")]
    response = render(request, "field/sw.js", {
        "version": _asset_version(),
        "assets_json": mark_safe(json.dumps(assets)),  # noqa: S308 (our own static URLs, as JSON)
        "shell_json": mark_safe(json.dumps(reverse("web:field-app"))),  # noqa: S308
        "today_json": mark_safe(json.dumps(reverse("field-api:today"))),  # noqa: S308
    }, content_type="application/javascript; charset=utf-8")
    # The worker sits under /field/ but may be given a wider scope; the browser checks it for
    # updates on every start, so it is never served from a cache.
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def field_manifest(request: HttpRequest) -> HttpResponse:
    name = "Doorstep 外访" if _chinese() else "Doorstep field"
    manifest = {
        "name": name,
        "short_name": name,
        "lang": get_language() or settings.LANGUAGE_CODE,
        "start_url": reverse("web:field-app"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml",
                   "purpose": "any maskable"}],
    }
    return JsonResponse(manifest, content_type="application/manifest+json",
                        json_dumps_params={"ensure_ascii": False})
