"""python-telegram-bot's calls on aiohttp: a `BaseRequest` that posts with one aiohttp session.

PTB's own `HTTPXRequest` builds each call as an httpx request (URL merging, a cookie jar read
on every answer, headers, a multipart encoder) before it reaches the wire: under steady load
that was a tenth of the bot's CPU, more than the exchange itself. This request hands PTB's
parameters to aiohttp as they are: a form for a call without files, multipart with them (the
files' names and types as PTB gives them), and the answer's status and body back to PTB,
which reads them as with its own request.

Timeouts are PTB's: those of the call, else this request's defaults (HTTPXRequest's: 5 s to
connect, read and write, 1 s for a pooled connection, 20 s to write an upload). `pool` +
`connect` bound getting a connection, `read` each wait for data, and the way to the answer's
headers is held to the sum of the four (aiohttp has no write timeout). Any timeout is PTB's
`TimedOut`, any other failure its `NetworkError`, as with HTTPXRequest: PTB and the bot's
handlers tell them apart the same way.
"""

from __future__ import annotations

import asyncio

import aiohttp
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.http import Session, answer_ceiling, client_timeout


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connections: int,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._session = Session(connections)
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        """Nothing to do: the session opens with the first call (again after a shutdown),
        so that a request PTB never used has nothing to close."""

    async def shutdown(self) -> None:
        await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        files = request_data is not None and request_data.contains_files
        unset = BaseRequest.DEFAULT_NONE
        read = self._read if read_timeout is unset else read_timeout
        connect = self._connect if connect_timeout is unset else connect_timeout
        pool = self._pool if pool_timeout is unset else pool_timeout
        write = write_timeout
        if write is unset:
            write = self._media_write if files else self._write
        ceiling = answer_ceiling(pool, connect, write, read)
        try:
            async with asyncio.timeout(ceiling):
                response = await self._session.get().request(
                    method,
                    url,
                    data=body(request_data),
                    headers={"User-Agent": self.USER_AGENT},
                    allow_redirects=False,
                    timeout=client_timeout(pool, connect, read),
                )
            async with response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """PTB's parameters as a form (url-encoded), or as multipart when files come along."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, content_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=content_type)
    return form
