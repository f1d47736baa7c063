"""The courses that ship with Doorstep, in the order a new collector takes them."""

from __future__ import annotations

from doorstep.training.content.communication import COURSE as COMMUNICATION
from doorstep.training.content.deescalation import COURSE as DEESCALATION
from doorstep.training.content.law import COURSE as LAW
from doorstep.training.content.safety import COURSE as SAFETY
from doorstep.training.core.content import BuiltinCourse

BUILTIN_COURSES: tuple[BuiltinCourse, ...] = (COMMUNICATION, DEESCALATION, LAW, SAFETY)

__all__ = ["BUILTIN_COURSES"]
