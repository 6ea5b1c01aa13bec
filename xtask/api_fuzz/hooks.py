"""Schemathesis hooks of `cargo xtask test`'s generated API tests (xtask/src/api_fuzz.rs).

One custom check: every 4xx answer is an RFC 9457 problem (docs/api/problems.md) that says what
was wrong and how to fix it. The built-in checks compare responses with the OpenAPI document;
this one holds the API to its error conventions, which the document alone cannot express.

One generation hook: a valid `Idempotency-Key` is made unique, as a real client makes it.
"""

import itertools
import json
import uuid

import schemathesis

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:expense:problem:"


@schemathesis.check
def client_errors_are_problems(ctx, response, case):
    """A 4xx is `application/problem+json` with a stable `type`, its `status`, a `detail`, and
    for a 422 the offending fields."""
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_types = response.headers.get("content-type", [])
    content_type = content_types[0] if content_types else ""
    if not content_type.startswith(PROBLEM_CONTENT_TYPE):
        raise AssertionError(f"{status} answered as {content_type or 'no content type'!r}, not {PROBLEM_CONTENT_TYPE}")
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{status} problem body is not JSON: {error}") from None
    if not isinstance(problem, dict):
        raise AssertionError(f"{status} problem body is not a JSON object")
    kind = problem.get("type")
    if not isinstance(kind, str) or not kind.startswith(PROBLEM_TYPE_PREFIX):
        raise AssertionError(f"{status} problem `type` {kind!r} is not one of the {PROBLEM_TYPE_PREFIX}* URNs")
    if problem.get("status") != status:
        raise AssertionError(f"problem `status` {problem.get('status')!r} differs from the HTTP status {status}")
    detail = problem.get("detail")
    if not isinstance(detail, str) or not detail.strip():
        raise AssertionError(f"{status} problem has no `detail` saying what was wrong")
    if status == 422:
        errors = problem.get("errors")
        if not errors or not all(
            isinstance(e, dict) and e.get("field") and e.get("message") for e in errors
        ):
            raise AssertionError("422 problem does not name each offending field in `errors`")
    return True


_RUN = uuid.uuid4().hex
_KEYS = itertools.count()


@schemathesis.hook
def map_headers(ctx, headers):
    """Replaces a valid generated `Idempotency-Key` by one never used before.

    Generated keys are tiny ("0", "A"), so unrelated requests share them, and a create retried
    with a used key is answered with the first response, byte for byte, even when that resource
    has been deleted since (docs/api/problems.md). The stateful check that a created resource can
    be fetched then fails on a replay, which is the documented behaviour, not a bug. Invalid keys
    are kept, so their 422 is still tested; replays themselves are tested in the services' tests.
    """
    key = (headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and 0 < len(key) <= 255 and all("!" <= c <= "~" for c in key):
        headers["Idempotency-Key"] = f"{_RUN}-{next(_KEYS)}"
    return headers
