"""The API's request limits (docs/api.md "Limits"), in one place.

Each is refused before the work starts, with the documented error body and
a message naming the limit: the body size and the JSON depth by the app
(pgwf.api.common.body, pgwf.api.errors), the request line and the headers by
gunicorn itself, whose refusals pgwf.api.server answers in the same JSON.
"""

from __future__ import annotations

# bytes of a request body (the BPMN routes take the database's upload limit,
# flowable.bpmn_max_document_bytes(), instead)
MAX_BODY_BYTES = 2 * 1024 * 1024
# levels of nesting of a JSON body (objects and arrays), counted before it is parsed
MAX_JSON_DEPTH = 64
# bytes of the request line (method, path, query, version): gunicorn's limit_request_line
# (8190 is the most gunicorn allows)
MAX_REQUEST_LINE_BYTES = 8190
# bytes of one header field, name and value: gunicorn's limit_request_field_size
MAX_HEADER_BYTES = 8190
# header fields of one request: gunicorn's limit_request_fields
MAX_HEADER_FIELDS = 100
