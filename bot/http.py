"""httpx's API on aiohttp's wire: an `httpx.AsyncBaseTransport` that sends with aiohttp.

The adapters and the image fetcher make their calls with httpx, whose own transport (httpcore
on anyio and h11) costs about 0.5 ms of CPU a request alone and twice that with ten requests
at once, where its pool hands one idle connection to several waiting requests and all but one
go round again. Under steady load that was 60 % of the bot's CPU (PTB's calls included, which
now go on aiohttp directly: telegram_http.py). aiohttp's connector and C parser do the same
exchange for about a third of it.

Only the wire changes: httpx still builds the request (headers, body, redirects, decoding of
`Content-Encoding`, which aiohttp is told to leave alone) and the code above still sees httpx's
responses and exceptions. aiohttp's errors map to httpx's by what they mean for a request that
may have changed something: `ConnectError`/`ConnectTimeout` only where the request cannot have
left (no connection, or none in time); a timeout while waiting for the answer is `ReadTimeout`;
any other trouble on an open connection is `ReadError` or `RemoteProtocolError`.

Timeouts come from httpx's `timeout` extension: `connect` bounds the socket connect, `pool` +
`connect` the wait for a pooled connection too, `read` each wait for data once the request is
sent. aiohttp has no write timeout and starts its read timer only after the body is out, so
the whole way to the answer's headers is also held to the sum of the four: past it, the upload
stalled (`WriteTimeout`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import aiohttp.abc
import httpx
import yarl

DEFAULT_CONNECTIONS = 100  # httpx's own default limit


class Session:
    """One aiohttp session for the bot's calls, opened on first use (it must be made in the
    running loop) and again after it was closed (PTB closes and reopens its requests across a
    restart of the Application). No cookies are kept: no service the bot calls sets any that
    matter."""

    def __init__(
        self,
        connections: int,
        resolver: aiohttp.abc.AbstractResolver | None = None,
        *,
        decompress: bool = True,
    ) -> None:
        self._connections = connections
        self._resolver = resolver
        self._decompress = decompress
        self._session: aiohttp.ClientSession | None = None

    def get(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, resolver=self._resolver),
                auto_decompress=self._decompress,
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def client_timeout(
    pool: float | None, connect: float | None, read: float | None
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for httpx's or PTB's: `pool` + `connect` to get a connection (a
    pooled one or a new one), `connect` for the socket, `read` for each wait for data."""
    both = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=None, connect=both, sock_connect=connect, sock_read=read)


def answer_ceiling(*timeouts: float | None) -> float | None:
    """The whole way to an answer's headers, upload included (aiohttp has no write timeout):
    the sum of the four timeouts, or none if one of them is none."""
    return None if None in timeouts else sum(timeouts)  # type: ignore[arg-type]


def httpx_error(exc: aiohttp.ClientError, request: httpx.Request) -> httpx.TransportError:
    message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message, request=request)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(message, request=request)
    return httpx.ReadError(message, request=request)


class AiohttpStream(httpx.AsyncByteStream):
    """A response body as httpx reads it; closing hands the connection back (or drops it when
    the body was not read to its end)."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except aiohttp.ClientError as exc:
            raise httpx_error(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx's requests sent on one `Session`."""

    def __init__(
        self,
        *,
        connections: int = DEFAULT_CONNECTIONS,
        resolver: aiohttp.abc.AbstractResolver | None = None,
    ) -> None:
        """`resolver`: how host names are resolved when connecting (aiohttp's own if None)."""
        self._session = Session(connections, resolver, decompress=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        timeout = request.extensions.get("timeout", {})
        pool, connect, write, read = (timeout.get(k) for k in ("pool", "connect", "write", "read"))
        ceiling = answer_ceiling(pool, connect, write, read)
        try:
            async with asyncio.timeout(ceiling):
                response = await self._session.get().request(
                    request.method,
                    yarl.URL(str(request.url), encoded=True),
                    headers=[
                        (k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw
                    ],
                    data=body or None,
                    allow_redirects=False,
                    timeout=client_timeout(pool, connect, read),
                )
        except aiohttp.ClientError as exc:
            raise httpx_error(exc, request) from exc
        except TimeoutError as exc:
            raise httpx.WriteTimeout(f"no answer within {ceiling:g} s", request=request) from exc
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=AiohttpStream(response, request),
            extensions={"reason_phrase": (response.reason or "").encode()},
        )

    async def aclose(self) -> None:
        await self._session.close()
