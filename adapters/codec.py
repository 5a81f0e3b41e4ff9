"""The event store's transcoder: the library's JSON format, written and read by orjson.

The stored bytes are the ones the library's ``JSONTranscoder`` writes (compact JSON,
UTF-8, custom types as ``{"_type_": name, "_data_": ...}``), so a store written by
either transcoder reads back with the other. Only the speed differs: the library
encodes through ``json`` with a Python ``default`` hook and decodes with a Python
``object_hook`` on every object, which costs more than the database on a rebuild.

Selected through the library's ``TRANSCODER_TOPIC`` setting (see ``adapters.store``),
so the domain's ``Ledger`` and its transcodings stay as they are.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

# Values orjson writes as the json module does, and those it hands to the ``default``
# hook (the library's): with the options below, datetimes, dates and Decimals.
_PLAIN = frozenset({str, int, bool, float, type(None)})
_HOOKED = frozenset({datetime, date, Decimal})
_AS_IS = _PLAIN | _HOOKED
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_CONTAINERS = (dict, list)


class FastJSONTranscoder(JSONTranscoder):
    """``JSONTranscoder`` with the same bytes, encoded and decoded by orjson."""

    def __init__(self) -> None:
        super().__init__()
        # The last datetime tagged and its tag, as one tuple so that threads sharing the
        # transcoder never pair one's value with another's tag. A batch's events share
        # their recording time: most datetimes of a save are that one.
        self._last_tagged: tuple[Any, Any] = (None, None)

    def encode(self, obj: Any) -> bytes:
        """The library's JSON for ``obj``; the library itself for what orjson refuses."""
        try:
            return orjson.dumps(self._tagged(obj), default=self._hooked, option=_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            # Integers past 64 bits, non-str keys: json's spelling is the reference.
            return super().encode(obj)

    def _hooked(self, value: Any) -> Any:
        last = self._last_tagged
        if last[0] is value:
            return last[1]
        tagged = self._encode_obj(value)
        if type(value) is datetime:
            self._last_tagged = (value, tagged)
        return tagged

    def decode(self, data: bytes) -> Any:
        """The object ``encode`` was given, custom types restored bottom-up like the library."""
        return self._restored(orjson.loads(data))

    def _tagged(self, value: Any) -> Any:
        # orjson writes UUIDs itself, untagged, so they and the containers holding them
        # are rewritten here first; most event states hold none and pass through as is.
        kind = type(value)
        if kind is dict:
            for item in value.values():
                if type(item) not in _AS_IS:
                    return {key: self._tagged(item) for key, item in value.items()}
            return value
        if kind is list or kind is tuple:
            return [self._tagged(item) for item in value]
        if kind in _AS_IS or kind not in self.types:
            return value
        return self._tagged(self._encode_obj(value))

    def _restored(self, value: Any) -> Any:
        kind = type(value)
        if kind is list:
            return [self._restored(item) if type(item) in _CONTAINERS else item for item in value]
        if kind is not dict:
            return value
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            return self._untagged(value)
        for key, item in value.items():
            if type(item) in _CONTAINERS:
                value[key] = self._restored(item)
        return value

    def _untagged(self, tagged: dict[str, Any]) -> Any:
        data = tagged["_data_"]
        if type(data) in _CONTAINERS:
            data = tagged["_data_"] = self._restored(data)
        transcoding = self.names.get(tagged["_type_"])
        if transcoding is None:
            return self._decode_obj(tagged)  # the library's refusal, word for word
        return transcoding.decode(data)
