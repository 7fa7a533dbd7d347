"""The bot's one HTTP server: Telegram's webhook, providers' callbacks, media for providers,
health.

Routes are listed in `routes()`; a new one is one line there plus its handler.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.media import TOKEN_PATTERN, TYPES, Media
from bot.providers.base import ProviderError
from bot.store import Database
from bot.tracker import Tracker

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 3.0
SHUTDOWN_TIMEOUT = 5.0
KNOWN_HOOKS = 4096  # callback tokens remembered with their job (a job is called back often)


class ServeError(Exception):
    """The server cannot listen; the message says why in one line."""


class WebServer:
    """aiohttp's web server with the bot's routes; updates go to PTB's `update_queue`, as in
    PTB's customwebhookbot example."""

    def __init__(
        self,
        telegram: Application,
        db: Database,
        media: Media,
        secret: str | None,
        tracker: Tracker | None = None,
    ) -> None:
        """`secret` is the webhook's secret_token; None serves no Telegram route (polling).
        `tracker` takes the provider's callbacks; None serves no callback route."""
        self.telegram = telegram
        self.db = db
        self.media = media
        self.secret = secret
        self.tracker = tracker
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._hooks: dict[str, int] = {}  # callback token → its job's id, as found

    def routes(self) -> list[web.RouteDef]:
        routes = [
            web.get("/healthz", self.healthz),
            web.get(f"/media/{{token:{TOKEN_PATTERN}}}.{{ext:{'|'.join(TYPES)}}}", self.file),
        ]
        if self.secret is not None:
            routes.append(web.post("/telegram", self.update))
        if self.tracker is not None:
            routes.append(web.post(f"/provider/{{token:{TOKEN_PATTERN}}}", self.callback))
        return routes

    async def start(self, port: int, host: str | None = None) -> None:
        """Listen on `port` (0: any free one) on `host`, all interfaces by default."""
        server = web.Application()
        server.add_routes(self.routes())
        runner = web.AppRunner(server, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            reason = os.strerror(error.errno) if error.errno else str(error)
            raise ServeError(f"PORT {port} cannot be used ({reason}); choose a free port") from None
        self._runner = runner
        self.port = runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop listening; requests under way get their answer. Again a no-op once done."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def update(self, request: web.Request) -> web.Response:
        """An update from Telegram: taken in once per update_id, answered at once; PTB
        handles it after. A request without the webhook's secret is refused unread."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if self.secret is None or not hmac.compare_digest(given, self.secret.encode()):
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.telegram.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError):
            update = None
        if update is None:
            return web.Response(status=400, text="not an Update")
        # A failing database answers 500, so that Telegram delivers the update again.
        if await self.db.updates.first_time(update.update_id):
            await self.telegram.update_queue.put(update)
        return web.Response()

    async def callback(self, request: web.Request) -> web.Response:
        """A provider calling back about a job: the token in the path names the job (404 for
        one no job has); the body is read by the provider's adapter and goes to the tracker
        as a hint, refused (409) when it is about another task than the job's."""
        assert self.tracker is not None
        job_id = await self._hooked_job(request.match_info["token"])
        if job_id is None:
            return web.Response(status=404)
        try:
            snapshot = self.tracker.provider.read_callback(await request.read())
        except ProviderError as error:
            log.warning("job %d: unreadable callback: %s", job_id, error.detail)
            return web.Response(status=400)
        if not self.tracker.hint(job_id, snapshot):
            log.warning("job %d: callback about task %s refused", job_id, snapshot.task_id)
            return web.Response(status=409)
        return web.Response()

    async def _hooked_job(self, token: str) -> int | None:
        """The job the token names. A token names one job for ever (it is stored before the
        provider can know it), so what the database says is remembered: one look-up a job,
        not one a callback."""
        job_id = self._hooks.get(token)
        if job_id is None:
            job_id = await self.db.jobs.by_hook(token)
            if job_id is not None:
                if len(self._hooks) >= KNOWN_HOOKS:
                    del self._hooks[next(iter(self._hooks))]  # the longest known
                self._hooks[token] = job_id
        return job_id

    async def file(self, request: web.Request) -> web.StreamResponse:
        ext = request.match_info["ext"]
        path = await self.media.find(request.match_info["token"], ext)
        if path is None:
            raise web.HTTPNotFound()
        headers = {"Content-Type": TYPES[ext], "X-Content-Type-Options": "nosniff"}
        return web.FileResponse(path, headers=headers)

    async def healthz(self, request: web.Request) -> web.Response:
        """Jobs in flight and the age of the oldest; 503 when the database does not answer."""
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                count, oldest = await self.db.jobs.in_flight()
        except Exception as error:
            log.warning("health check: the database does not answer: %r", error)
            return web.json_response({"status": "unavailable", "database": False}, status=503)
        body: dict[str, Any] = {
            "status": "ok",
            "database": True,
            "jobs_in_flight": count,
            "oldest_job_age": None if oldest is None else round(time.time() - oldest, 1),
        }
        return web.json_response(body)
