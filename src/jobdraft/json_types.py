"""The one name for a JSON value, as it comes from the API, a cache or a file.

``Any`` on purpose: a JSON value is checked where it is read (``model`` for
the API's answers, ``fields`` for a user's values, each cache for its file),
and a recursive alias would force a cast at every access of an answer whose
shape those readers have already checked.
"""

from typing import Any

Json = Any
