"""The bot's HTTP on aiohttp. The transport under httpx: what goes out, what comes back, and
which httpx error each failure becomes (the adapters tell "cannot have been sent" from "may
have been done" by it). PTB's request: its form and multipart bodies as they go out, and PTB's
errors. One server on 127.0.0.1; client timeouts are a fraction of a second."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
from collections.abc import AsyncIterator
from email.parser import BytesParser
from urllib.parse import parse_qs

import httpx
import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.http import AiohttpTransport
from bot.telegram_http import AiohttpRequest

SHORT = httpx.Timeout(0.3)


class Server:
    """`/echo/...` answers what it got; `/gzip` a compressed body; `/cookies` two headers of
    one name; `/stream` chunks without a length; `/drop` closes the connection unanswered;
    `/stall` never answers and never reads a body; `/moved` redirects."""

    def __init__(self) -> None:
        self.url = ""
        self.drops = 0
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def start(self) -> Server:
        app = web.Application(client_max_size=1 << 30)
        app.router.add_route("*", "/echo/{tail:.*}", self._echo)
        app.router.add_get("/gzip", self._gzip)
        app.router.add_get("/cookies", self._cookies)
        app.router.add_get("/stream", self._stream)
        app.router.add_route("*", "/drop", self._drop)
        app.router.add_route("*", "/stall", self._stall)
        app.router.add_get("/moved", self._moved)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._release.set()
        assert self._runner is not None
        await self._runner.cleanup()

    async def _echo(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "method": request.method,
                "path": request.raw_path,
                "headers": [[name.decode(), value.decode()] for name, value in request.raw_headers],
                "body": (await request.read()).decode("latin-1"),
            }
        )

    async def _gzip(self, request: web.Request) -> web.Response:
        return web.Response(body=gzip.compress(b"unpacked"), headers={"Content-Encoding": "gzip"})

    async def _cookies(self, request: web.Request) -> web.Response:
        response = web.Response(text="ok")
        response.headers.add("Set-Cookie", "a=1")
        response.headers.add("Set-Cookie", "b=2")
        return response

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for part in (b"one ", b"two ", b"three"):
            await response.write(part)
        await response.write_eof()
        return response

    async def _drop(self, request: web.Request) -> web.StreamResponse:
        self.drops += 1
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    async def _stall(self, request: web.Request) -> web.StreamResponse:
        await self._release.wait()
        return web.Response()

    async def _moved(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/echo/there")


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    running = await Server().start()
    yield running
    await running.stop()


@pytest.fixture
async def client(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=server.url, transport=AiohttpTransport(), timeout=SHORT
    ) as http:
        yield http


async def test_the_request_goes_out_as_httpx_built_it(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/echo/a%2Fb%20c", params={"q": "x y"}, data={"k": "v"}, headers={"TT-API-KEY": "key"}
    )
    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["path"] == "/echo/a%2Fb%20c?q=x+y"
    assert ["TT-API-KEY", "key"] in echo["headers"]
    assert ["Content-Type", "application/x-www-form-urlencoded"] in echo["headers"]
    assert echo["body"] == "k=v"


async def test_a_multipart_upload_arrives_whole(client: httpx.AsyncClient) -> None:
    photo = bytes(range(256)) * 4000
    response = await client.post("/echo/up", files={"photo": ("p.png", photo, "image/png")})
    echo = response.json()
    assert any(
        name == "Content-Type" and value.startswith("multipart/form-data; boundary=")
        for name, value in echo["headers"]
    )
    assert ["Content-Length", str(len(response.request.content))] in echo["headers"]


async def test_the_answer_comes_back_as_sent(client: httpx.AsyncClient) -> None:
    assert (await client.get("/gzip")).content == b"unpacked"
    assert (await client.get("/cookies")).headers.get_list("Set-Cookie") == ["a=1", "b=2"]
    async with client.stream("GET", "/stream") as response:
        assert b"".join([chunk async for chunk in response.aiter_bytes()]) == b"one two three"
    moved = await client.get("/moved")
    assert (moved.status_code, moved.headers["Location"]) == (302, "/echo/there")
    followed = await client.get("/moved", follow_redirects=True)
    assert followed.json()["path"] == "/echo/there"


async def test_a_connection_dropped_under_a_post_may_have_done_it(
    client: httpx.AsyncClient, server: Server
) -> None:
    await client.get("/gzip")  # a kept-alive connection for the POST to go on
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/drop", json={})
    assert server.drops == 1  # a POST is never sent twice


async def test_a_get_is_sent_again_once_when_its_kept_alive_connection_drops(
    client: httpx.AsyncClient, server: Server
) -> None:
    await client.get("/gzip")
    with pytest.raises(httpx.TransportError) as caught:
        await client.get("/drop")
    assert not isinstance(caught.value, httpx.ConnectError | httpx.ConnectTimeout)
    assert server.drops == 2


async def test_no_answer_in_time_is_a_read_timeout(client: httpx.AsyncClient) -> None:
    with pytest.raises(httpx.ReadTimeout):
        await client.post("/stall", json={})


async def test_an_upload_the_server_does_not_take_is_a_write_timeout(
    client: httpx.AsyncClient,
) -> None:
    with pytest.raises(httpx.WriteTimeout):
        await client.post("/stall", content=b"\0" * (64 << 20))


async def test_nobody_listening_is_a_connect_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient(transport=AiohttpTransport(), timeout=SHORT) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{port}/")


async def test_the_transport_opens_again_after_it_was_closed(server: Server) -> None:
    transport = AiohttpTransport()
    for _ in range(2):  # as PTB closes its client at shutdown and builds it again
        async with httpx.AsyncClient(transport=transport, timeout=SHORT) as http:
            assert (await http.get(f"{server.url}/gzip")).content == b"unpacked"


def ptb_data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


@pytest.fixture
async def ptb() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(4, read_timeout=0.3, write_timeout=0.3, connect_timeout=0.3)
    await request.initialize()
    yield request
    await request.shutdown()


async def test_ptb_calls_go_out_as_a_form(server: Server, ptb: AiohttpRequest) -> None:
    data = ptb_data(chat_id=5, text="héllo & more", reply_markup={"a": [1]})
    status, answer = await ptb.do_request(f"{server.url}/echo/sendMessage", "POST", data)
    echo = json.loads(answer)
    assert (status, echo["method"], echo["path"]) == (200, "POST", "/echo/sendMessage")
    assert ["Content-Type", "application/x-www-form-urlencoded"] in echo["headers"]
    assert ["User-Agent", BaseRequest.USER_AGENT] in echo["headers"]
    assert parse_qs(echo["body"].encode("latin-1").decode()) == {
        "chat_id": ["5"],
        "text": ["héllo & more"],
        "reply_markup": ['{"a": [1]}'],
    }


async def test_ptb_files_go_out_as_multipart_with_their_names_and_types(
    server: Server, ptb: AiohttpRequest
) -> None:
    photo = bytes(range(256)) * 100
    data = ptb_data(chat_id=5, photo=InputFile(photo, filename="grid.png"))
    status, answer = await ptb.do_request(f"{server.url}/echo/sendPhoto", "POST", data)
    echo = json.loads(answer)
    kind = dict(echo["headers"])["Content-Type"]
    assert status == 200 and kind.startswith("multipart/form-data; boundary=")
    boundary = kind.split("boundary=", 1)[1].strip('"')
    parts = BytesParser().parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + echo["body"].encode("latin-1")
    )
    fields = {part.get_param("name", header="content-disposition"): part for part in parts.walk()}
    assert boundary and fields["chat_id"].get_payload() == "5"
    assert fields["photo"].get_filename() == "grid.png"
    assert fields["photo"].get_content_type() == "image/png"
    assert fields["photo"].get_payload(decode=True) == photo


async def test_ptb_gets_the_answer_as_sent(server: Server, ptb: AiohttpRequest) -> None:
    status, _ = await ptb.do_request(f"{server.url}/moved", "GET")
    assert status == 302  # not followed, as with PTB's own request
    assert await ptb.do_request(f"{server.url}/gzip", "GET") == (200, b"unpacked")


async def test_ptb_waiting_too_long_is_timed_out(server: Server, ptb: AiohttpRequest) -> None:
    with pytest.raises(TimedOut):
        await ptb.do_request(f"{server.url}/stall", "POST", ptb_data(chat_id=1))
    with pytest.raises(TimedOut):  # an upload the server does not take
        big = ptb_data(photo=InputFile(b"\0" * (64 << 20), filename="big.png"))
        await ptb.do_request(f"{server.url}/stall", "POST", big, write_timeout=0.3)


async def test_ptb_nobody_listening_is_a_network_error(ptb: AiohttpRequest) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError) as caught:
        await ptb.do_request(f"http://127.0.0.1:{port}/", "POST", ptb_data(chat_id=1))
    assert not isinstance(caught.value, TimedOut)
    assert "ClientConnectorError" in str(caught.value)


async def test_ptb_request_opens_again_after_shutdown(server: Server, ptb: AiohttpRequest) -> None:
    assert await ptb.do_request(f"{server.url}/gzip", "GET") == (200, b"unpacked")
    await ptb.shutdown()
    await ptb.initialize()  # as PTB does when an Application is started again
    assert await ptb.do_request(f"{server.url}/gzip", "GET") == (200, b"unpacked")
