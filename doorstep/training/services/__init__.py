"""Every write of the training app: courses (editing and the built-in set), quiz attempts,
certificates and their notices, the case library."""

from doorstep.training.services.cases import (
    case_attach,
    case_from_visit,
    case_publish,
    case_update,
    case_withdraw,
)
from doorstep.training.services.courses import (
    builtin_courses_install,
    course_save,
    lesson_save,
    question_save,
)
from doorstep.training.services.quiz import (
    attempt_expire,
    attempt_start,
    attempt_submit,
    certificate_issue_if_due,
    certificate_notices_send,
    certificate_revoke,
    notice_read,
)

__all__ = [
    "attempt_expire", "attempt_start", "attempt_submit", "builtin_courses_install", "case_attach", "case_from_visit",
    "case_publish", "case_update", "case_withdraw", "certificate_issue_if_due", "certificate_notices_send",
    "certificate_revoke", "course_save", "lesson_save", "notice_read", "question_save",
]
