"""The view toolkit every area uses: rendering, access, answers after a POST, inputs, globals."""

from .access import requires
from .answers import finish, show_on_form
from .globals import register_template_globals
from .inputs import (
    MAX_DATABASE_INT,
    DatabaseIntConverter,
    ForumRequest,
    accepts_uploads,
    discard_request_body,
    is_safe_redirect,
    page_arg,
    redirect_target,
    whole_number,
)
from .rendering import announce, current_path_with, fail, render, wants_fragment

__all__ = [
    "MAX_DATABASE_INT",
    "DatabaseIntConverter",
    "ForumRequest",
    "accepts_uploads",
    "announce",
    "current_path_with",
    "discard_request_body",
    "fail",
    "finish",
    "is_safe_redirect",
    "page_arg",
    "redirect_target",
    "register_template_globals",
    "render",
    "requires",
    "show_on_form",
    "wants_fragment",
    "whole_number",
]
