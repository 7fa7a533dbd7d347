"""Image downloads: no key outside the provider's origin, redirects, refused hosts, limits.

Every server runs on 127.0.0.1; each on its own port is an origin of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.providers import download as download_module
from bot.providers.acedata import AcedataProvider
from bot.providers.agicto import AgictoProvider
from bot.providers.apimart import ApimartProvider
from bot.providers.base import ErrorKind, Provider, ProviderError
from bot.providers.download import PublicOnlyResolver, is_public
from bot.providers.gptunnel import GptunnelProvider
from bot.providers.ttapi import TtapiProvider
from tests.fakes.provider_base import render_png

KEY = "secret-key-0123456789"
ADAPTERS = [AgictoProvider, ApimartProvider, AcedataProvider, TtapiProvider, GptunnelProvider]
KEY_HEADERS = ("Authorization", "mj-api-secret", "TT-API-KEY")
PNG = render_png("download", 1)


class Host:
    """A web server that records the headers of every request it gets.

    `/image.png` is an image; `/to?url=` redirects (302) there; `/hops/<n>` redirects n
    times before the image; `/slow` sends a byte every 50 ms, forever; `/big?size=` sends
    that many bytes (`chunked` too: without a Content-Length); `/gone` answers 404.
    """

    def __init__(self) -> None:
        self.seen: list[dict[str, str]] = []
        self.url = ""
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def start(self) -> Host:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/image.png", self._image)
        app.router.add_get("/to", self._to)
        app.router.add_get("/hops/{n}", self._hops)
        app.router.add_get("/slow", self._slow)
        app.router.add_get("/big", self._big)
        app.router.add_get("/gone", self._gone)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner:
            await self._runner.cleanup()

    @web.middleware
    async def _record(self, request: web.Request, handler: object) -> web.StreamResponse:
        self.seen.append(dict(request.headers))
        return await handler(request)  # type: ignore[operator]

    async def _image(self, request: web.Request) -> web.Response:
        return web.Response(body=PNG, content_type="image/png")

    async def _gone(self, request: web.Request) -> web.Response:
        return web.Response(status=404)

    async def _to(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["url"])

    async def _hops(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound(f"/hops/{n - 1}" if n > 1 else "/image.png")

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "image/png"})
        await response.prepare(request)
        with contextlib.suppress(ConnectionResetError):
            while not self._stopping.is_set():
                await response.write(b"x")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), 0.05)
        return response

    async def _big(self, request: web.Request) -> web.StreamResponse:
        size = int(request.query["size"])
        if "chunked" not in request.query:
            return web.Response(body=b"x" * size, content_type="image/png")
        response = web.StreamResponse(headers={"Content-Type": "image/png"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        with contextlib.suppress(ConnectionResetError):
            for start in range(0, size, 1000):
                await response.write(b"x" * min(1000, size - start))
        return response


@pytest.fixture
async def own() -> AsyncIterator[Host]:
    """The provider's own server: its base URL is here."""
    host = await Host().start()
    yield host
    await host.stop()


@pytest.fixture
async def other() -> AsyncIterator[Host]:
    """Somebody else's server, on another origin."""
    host = await Host().start()
    yield host
    await host.stop()


async def provider_at(
    host: Host, cls: type[Provider] = AgictoProvider, **options: object
) -> Provider:
    return cls(f"{host.url}/v1", KEY, timeout=2.0, **options)  # type: ignore[arg-type]


async def download(provider: Provider, url: str, limit: int | None = None) -> bytes:
    try:
        if limit is None:
            return await provider.download(url)
        return await provider.download(url, limit)
    finally:
        await provider.aclose()


async def refusal(provider: Provider, url: str, limit: int | None = None) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        await download(provider, url, limit)
    return caught.value


def carries_key(headers: dict[str, str]) -> bool:
    return any(name.lower() in {h.lower() for h in KEY_HEADERS} for name in headers) or any(
        KEY in value for value in headers.values()
    )


# --- credentials ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ADAPTERS)
async def test_the_key_never_goes_to_another_origin(
    own: Host, other: Host, cls: type[Provider]
) -> None:
    provider = await provider_at(own, cls, allow_private_hosts=True)
    assert await download(provider, f"{other.url}/image.png") == PNG
    assert len(other.seen) == 1
    assert not carries_key(other.seen[0])


@pytest.mark.parametrize("cls", ADAPTERS)
async def test_the_key_goes_to_the_providers_own_origin(own: Host, cls: type[Provider]) -> None:
    provider = await provider_at(own, cls)
    expected = provider.auth_headers(KEY)
    assert await download(provider, f"{own.url}/image.png") == PNG
    assert {name: own.seen[0].get(name) for name in expected} == expected


async def test_a_redirect_is_followed_and_drops_the_key_on_the_way_out(
    own: Host, other: Host
) -> None:
    provider = await provider_at(own, allow_private_hosts=True)
    assert await download(provider, f"{own.url}/to?url={other.url}/image.png") == PNG
    assert carries_key(own.seen[0])
    assert not carries_key(other.seen[0])


async def test_three_redirects_are_followed_and_a_fourth_is_refused(own: Host) -> None:
    assert await download(await provider_at(own), f"{own.url}/hops/3") == PNG
    error = await refusal(await provider_at(own), f"{own.url}/hops/4")
    assert error.kind is ErrorKind.INVALID
    assert "more than 3 redirects" in error.detail


# --- refused targets --------------------------------------------------------------------


async def test_loopback_on_another_origin_is_refused_unless_allowed(own: Host, other: Host) -> None:
    error = await refusal(await provider_at(own), f"{other.url}/image.png")
    assert error.kind is ErrorKind.INVALID
    assert "non-public address 127.0.0.1" in error.detail
    assert other.seen == []
    allowed = await provider_at(own, allow_private_hosts=True)
    assert await download(allowed, f"{other.url}/image.png") == PNG


async def test_a_name_that_resolves_to_loopback_is_refused(own: Host, other: Host) -> None:
    port = other.url.rsplit(":", 1)[1]
    error = await refusal(await provider_at(own), f"http://localhost:{port}/image.png")
    assert error.kind is ErrorKind.INVALID
    assert other.seen == []


async def test_a_redirect_to_a_refused_target_is_refused(own: Host, other: Host) -> None:
    for target in (f"{other.url}/image.png", "file:///etc/passwd"):
        error = await refusal(await provider_at(own), f"{own.url}/to?url={target}")
        assert error.kind is ErrorKind.INVALID
    assert other.seen == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/image.png", "gopher://x/", "no url at all"]
)
async def test_other_schemes_are_refused(own: Host, url: str) -> None:
    error = await refusal(await provider_at(own, allow_private_hosts=True), url)
    assert error.kind is ErrorKind.INVALID


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("::ffff:93.184.216.34", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("169.254.169.254", False),  # link-local: cloud metadata services
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(address) is public


# --- size, time, trouble ------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [False, True])
async def test_an_image_over_the_limit_is_refused(own: Host, chunked: bool) -> None:
    url = f"{own.url}/big?size=5000{'&chunked=1' if chunked else ''}"
    error = await refusal(await provider_at(own), url, limit=4000)
    assert error.kind is ErrorKind.INVALID
    assert not error.maybe_done
    assert len(await download(await provider_at(own), url, limit=5000)) == 5000


async def test_a_trickling_server_is_cut_off_at_the_deadline(own: Host) -> None:
    provider = await provider_at(own, download_deadline=0.5)
    async with asyncio.timeout(20):  # a guard: the download itself must end long before
        error = await refusal(provider, f"{own.url}/slow")
    assert error.kind is ErrorKind.UNAVAILABLE
    assert "took over 0.5 s" in error.detail


async def test_network_trouble_and_error_answers_are_unavailable(own: Host, other: Host) -> None:
    await other.stop()  # nothing listens there any more
    provider = await provider_at(own, allow_private_hosts=True)
    assert (await refusal(provider, f"{other.url}/image.png")).kind is ErrorKind.UNAVAILABLE
    error = await refusal(await provider_at(own), f"{own.url}/gone")
    assert error.kind is ErrorKind.UNAVAILABLE
    assert "404" in error.detail


async def test_an_error_never_shows_the_key(own: Host) -> None:
    error = await refusal(await provider_at(own), f"ftp://127.0.0.1/?key={KEY}")
    assert KEY not in error.detail
    assert "key=***" in error.detail


class Rebinding(AbstractResolver):
    """A name server whose answer changed since the check: the name is now at loopback."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        address = {"rebind.test": "127.0.0.1", "cdn.test": "93.184.215.14"}[host.lower()]
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": family,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        pass


async def test_a_name_rebound_to_loopback_after_the_check_is_refused_on_connect(
    own: Host, other: Host, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download_module, "ThreadedResolver", Rebinding)
    provider = await provider_at(own)

    async def seen_public(target: object) -> bool:  # the check saw a public address
        return False

    monkeypatch.setattr(provider.images, "_check", seen_public)
    port = other.url.rsplit(":", 1)[1]
    error = await refusal(provider, f"http://rebind.test:{port}/image.png")
    assert error.kind is ErrorKind.UNAVAILABLE
    assert "non-public" in error.detail
    assert other.seen == []  # no request reached it


async def test_the_connect_time_resolver_lets_public_names_and_the_own_host_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(download_module, "ThreadedResolver", Rebinding)
    resolver = PublicOnlyResolver("rebind.test")
    assert (await resolver.resolve("cdn.test", 80))[0]["host"] == "93.184.215.14"
    assert (await resolver.resolve("REBIND.test", 80))[0]["host"] == "127.0.0.1"
    with pytest.raises(OSError, match="non-public"):
        await PublicOnlyResolver("cdn.test").resolve("rebind.test", 80)
