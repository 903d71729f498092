"""A small DB-API-like client for Marginal's Trino, over Trino's client REST protocol.

It stands in for the `trino` Python client (`trino.dbapi`), whose wheel is not available on the
offline package indexes these machines install from. It speaks the same protocol the official
clients do: POST the SQL to /v1/statement, then GET each `nextUri` until there is none, collecting
`columns` and `data` on the way; an `error` in any answer is raised as TrinoError.

Values keep their exact types: DECIMAL arrives as a JSON string and becomes decimal.Decimal (money
is DECIMAL(38,12) in the warehouse, never float), DATE becomes datetime.date, BIGINT stays int.

Connection settings come from the environment, as the stack writes them (see notebooks/README.md):
MARGINAL_TRINO_URL (https://host:port, or the stack's jdbc:trino:// URL), MARGINAL_TRINO_USER,
MARGINAL_TRINO_PASSWORD and MARGINAL_TRINO_CA (the stack's self-signed certificate, PEM); without
them, the local stack's defaults under $MARGINAL_HOME (platform user, port 8088).
"""

from __future__ import annotations

import datetime
import os
import re
import ssl
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

import requests
from requests.adapters import HTTPAdapter

CATALOG = "marginal"
DEFAULT_PORT = 8088
# A query's answers can take a while on a loaded laptop; a hung server should still end the notebook.
TIMEOUT_SECONDS = 300


class TrinoError(Exception):
    """Trino refused or failed the statement; the message is Trino's own."""

    def __init__(self, error: dict):
        self.error = error
        super().__init__(f"{error.get('errorName', 'ERROR')}: {error.get('message', error)}")


@dataclass(frozen=True)
class Settings:
    url: str
    user: str
    password: str
    ca: str | bool

    @staticmethod
    def from_environment(env: dict | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        home = Path(env.get("MARGINAL_HOME") or Path(__file__).resolve().parent.parent / ".marginal")
        user = env.get("MARGINAL_TRINO_USER", "platform")
        url = _https_url(env.get("MARGINAL_TRINO_URL") or f"https://127.0.0.1:{env.get('MARGINAL_TRINO_PORT', DEFAULT_PORT)}")
        password = env.get("MARGINAL_TRINO_PASSWORD")
        if password is None:
            password = (home / "trino" / "passwords" / user).read_text().strip()
        ca = env.get("MARGINAL_TRINO_CA") or str(home / "trino" / "tls" / "trino.pem")
        return Settings(url, user, password, ca)


def _https_url(url: str) -> str:
    """Accepts the stack's JDBC URL too (jdbc:trino://host:port/marginal?SSL=true&...)."""
    jdbc = re.match(r"jdbc:trino://([^/?]+)", url)
    return f"https://{jdbc.group(1)}" if jdbc else url.rstrip("/")


class _TrustedCertificate(HTTPAdapter):
    """Trusts the stack's certificate itself. It is self-signed and not a CA, which OpenSSL accepts as
    a trust anchor only with partial-chain verification (Python ≥ 3.13 turns that on by default)."""

    def __init__(self, certificate: str):
        self._context = ssl.create_default_context(cafile=certificate)
        self._context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        self._context.verify_flags &= ~ssl.VERIFY_X509_STRICT
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["ssl_context"] = self._context
        return super().init_poolmanager(*args, **kwargs)


def connect(settings: Settings | None = None, schema: str = "analytics") -> "Connection":
    return Connection(settings or Settings.from_environment(), schema)


class Connection:
    def __init__(self, settings: Settings, schema: str):
        self.settings = settings
        self.schema = schema
        self.session = requests.Session()
        self.session.auth = (settings.user, settings.password)
        self.session.verify = settings.ca
        if isinstance(settings.ca, str):
            self.session.mount("https://", _TrustedCertificate(settings.ca))
        self.session.headers.update({
            "X-Trino-User": settings.user,
            "X-Trino-Catalog": CATALOG,
            "X-Trino-Schema": schema,
            "X-Trino-Source": "marginal-notebooks",
        })

    def cursor(self) -> "Cursor":
        return Cursor(self)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def frame(self, sql: str, params: Sequence[Any] = ()):
        """The rows of a query as a pandas DataFrame (decimals stay Decimal)."""
        import pandas as pd
        cursor = self.cursor()
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=[c[0] for c in cursor.description])


class Cursor:
    arraysize = 1

    def __init__(self, connection: Connection):
        self.connection = connection
        self.description: list[tuple] | None = None
        self.rowcount = -1
        self._rows: list[tuple] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> "Cursor":
        session = self.connection.session
        answer = self._answer(session.post(f"{self.connection.settings.url}/v1/statement",
                                           data=bind(sql, params).encode("utf-8"), timeout=TIMEOUT_SECONDS))
        columns, rows = None, []
        while True:
            columns = columns or answer.get("columns")
            rows.extend(answer.get("data") or [])
            next_uri = answer.get("nextUri")
            if not next_uri:
                break
            answer = self._answer(session.get(next_uri, timeout=TIMEOUT_SECONDS))
        columns = columns or []
        self.description = [(c["name"], c["type"], None, None, None, None, None) for c in columns]
        self._rows = [tuple(convert(value, c["type"]) for value, c in zip(row, columns)) for row in rows]
        self.rowcount = len(self._rows)
        return self

    @staticmethod
    def _answer(response: requests.Response) -> dict:
        if response.status_code != 200:
            raise TrinoError({"errorName": f"HTTP {response.status_code}", "message": response.text[:500]})
        answer = response.json()
        if answer.get("error"):
            raise TrinoError(answer["error"])
        return answer

    def fetchall(self) -> list[tuple]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> tuple | None:
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        size = size or self.arraysize
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def close(self) -> None:
        self._rows = []


def bind(sql: str, params: Iterable[Any]) -> str:
    """qmark parameters written as SQL literals (Trino's REST protocol has no client-side binding)."""
    params = list(params)
    parts = sql.split("?")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(parts) - 1} placeholders but {len(params)} parameters")
    out = [parts[0]]
    for value, part in zip(params, parts[1:]):
        out.append(literal(value))
        out.append(part)
    return "".join(out)


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return f"DECIMAL '{value}'"
    if isinstance(value, datetime.datetime):
        raise TypeError("pass timestamps as strings with a time zone; a naive datetime is ambiguous")
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__} (money is Decimal, never float)")


def convert(value: Any, trino_type: str) -> Any:
    if value is None:
        return None
    if trino_type.startswith("decimal"):
        return Decimal(value)
    if trino_type == "date":
        return datetime.date.fromisoformat(value)
    return value
