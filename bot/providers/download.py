"""Result images fetched from wherever the provider's answer points, safely.

An image URL comes from the provider's answer and may name any host: Discord's CDN, a third
party, or an address inside our own network. So downloads use a client of their own that
carries the provider's credentials only to the provider's own origin (scheme, host, port of
its base URL), follow a few redirects, and check every hop: only http(s), and no host that
resolves to a loopback, private, link-local, multicast, reserved or unspecified address,
unless private hosts are allowed or the hop is on the provider's own origin (a self-hosted
proxy on the LAN). Size and total time are capped.

The check resolves the host before the request; the connection resolves it again. A name
whose answer changes in between (DNS rebinding) is caught by the resolver the connection
uses, which refuses a non-public address too (the provider's own host excepted).
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket

import httpx
from aiohttp import ThreadedResolver
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.http import AiohttpTransport
from bot.providers.errors import ErrorKind, ProviderError

MAX_REDIRECTS = 3
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: httpx.URL) -> Origin:
    return url.scheme, url.host, url.port or DEFAULT_PORTS.get(url.scheme, 0)


def is_public(address: str) -> bool:
    """Whether an address from getaddrinfo is one the open internet can be reached at."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    special = (
        ip.is_loopback,
        ip.is_private,
        ip.is_link_local,
        ip.is_multicast,
        ip.is_reserved,
        ip.is_unspecified,
    )
    return ip.is_global and not any(special)


class PublicOnlyResolver(AbstractResolver):
    """aiohttp's resolver, refusing (OSError) a host other than `own_host` that resolves to
    a non-public address when the connection is made."""

    def __init__(self, own_host: str) -> None:
        self.own_host = own_host.lower()
        self._inner: AbstractResolver | None = None  # made in the running loop, on first use

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if self._inner is None:
            self._inner = ThreadedResolver()
        results = await self._inner.resolve(host, port, family)
        if host.lower() != self.own_host:
            for result in results:
                if not is_public(result["host"]):
                    detail = f"{host!r} now resolves to the non-public {result['host']}"
                    raise OSError(errno.EACCES, detail)
        return results

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()


def refused(detail: str) -> ProviderError:
    return ProviderError(ErrorKind.INVALID, f"image download refused: {detail}")


class ImageFetcher:
    """Downloads for one provider. `deadline` bounds a whole download, redirects included,
    however slowly the server sends; `timeout` bounds each read and connect."""

    def __init__(
        self,
        own_url: str,
        credentials: dict[str, str],
        *,
        allow_private_hosts: bool = False,
        timeout: float = 30.0,
        deadline: float = 60.0,
    ) -> None:
        self.own_origin = origin_of(httpx.URL(own_url))
        self.credentials = credentials
        self.allow_private_hosts = allow_private_hosts
        self.deadline = deadline
        resolver = None if allow_private_hosts else PublicOnlyResolver(self.own_origin[1])
        self.http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=AiohttpTransport(resolver=resolver),
        )

    async def fetch(self, url: str, limit: int) -> bytes:
        """The bytes at `url`, at most `limit` of them. ProviderError INVALID for a refused
        target or an image over the limit; UNAVAILABLE for network trouble or the deadline."""
        try:
            async with asyncio.timeout(self.deadline):
                return await self._follow(url, limit)
        except TimeoutError:
            raise ProviderError(
                ErrorKind.UNAVAILABLE, f"image download took over {self.deadline:g} s"
            ) from None
        except httpx.HTTPError as exc:
            raise ProviderError(ErrorKind.UNAVAILABLE, f"image download: {exc!r}") from exc

    async def _follow(self, url: str, limit: int) -> bytes:
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise refused(f"not a URL: {url[:120]!r}") from exc
        for _ in range(MAX_REDIRECTS + 1):
            own = await self._check(target)
            headers = {"Accept-Encoding": "identity", **(self.credentials if own else {})}
            async with self.http.stream("GET", target, headers=headers) as response:
                location = response.headers.get("Location")
                if response.status_code in REDIRECTS and location:
                    try:
                        target = target.join(location)
                    except httpx.InvalidURL as exc:
                        raise refused(f"redirect to {location[:120]!r}") from exc
                    continue
                if response.status_code != 200:
                    raise ProviderError(
                        ErrorKind.UNAVAILABLE, f"image download answered {response.status_code}"
                    )
                return await read(response, limit)
        raise refused(f"more than {MAX_REDIRECTS} redirects")

    async def _check(self, target: httpx.URL) -> bool:
        """Refuse a hop we must not make; True when it is on the provider's own origin."""
        if target.scheme not in DEFAULT_PORTS or not target.host:
            raise refused(f"not an http(s) URL: {str(target)[:120]!r}")
        origin = origin_of(target)
        if origin == self.own_origin:
            return True
        if not self.allow_private_hosts:
            host, port = origin[1], origin[2]
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError as exc:
                raise ProviderError(
                    ErrorKind.UNAVAILABLE, f"image host {host!r} does not resolve: {exc}"
                ) from exc
            for info in infos:
                address = str(info[4][0])
                if not is_public(address):
                    raise refused(f"{host!r} is at the non-public address {address}")
        return False

    async def aclose(self) -> None:
        await self.http.aclose()


async def read(response: httpx.Response, limit: int) -> bytes:
    """The body as sent (no decompression), refused as soon as it exceeds `limit`."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise refused(f"image of {declared} bytes, over {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        size += len(chunk)
        if size > limit:
            raise refused(f"image larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
