"""The bot's command menus and descriptions, in each language, as Telegram shows them.

Set at start-up: for every locale (by its two-letter `language_code`) and once without one
(DEFAULT_LOCALE, for every other language), the private menu (default scope), the group menu
(`BotCommandScopeAllGroupChats`: what concerns a group), the description and the short
description. An admin's private chat gets the private menu plus the admin commands, and a
person who chose a language with /language gets their private menu in it (a chat scope, which
Telegram prefers to the language of the app). Only what changed since the last start is sent:
a digest of it all is kept in the database, since Telegram limits these calls.
"""

from __future__ import annotations

import hashlib
import json
import logging

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import Translator
from bot.providers.base import Provider
from bot.providers.tasks import Capability
from bot.store import Database

log = logging.getLogger(__name__)

ADMIN_COMMANDS = ["stats", "ban", "unban", "grant", "refund"]


class Menus:
    def __init__(
        self,
        bot: Bot,
        translate: Translator,
        provider: Provider,
        admins: frozenset[int],
        sells: bool,
    ) -> None:
        self.bot = bot
        self.t = translate
        self.admins = admins
        photo = [
            name
            for name, capability in (("describe", Capability.DESCRIBE), ("blend", Capability.BLEND))
            if capability in provider.capabilities
        ]
        self.group = ["imagine", *photo, "settings", "help"]
        personal = ["language", "me", *(["buy"] if sells else []), "history"]
        self.private = ["imagine", *photo, "settings", *personal, "help"]

    def commands(self, locale: str, names: list[str]) -> list[BotCommand]:
        return [BotCommand(name, self.t(locale, f"command-{name}")) for name in names]

    def for_person(self, user_id: int, locale: str) -> list[BotCommand]:
        admin = ADMIN_COMMANDS if user_id in self.admins else []
        return self.commands(locale, self.private + admin)

    async def set_up(self, db: Database) -> None:
        """Send the menus and descriptions, unless they are what Telegram already has."""
        plan = []
        default = self.t.default_locale
        for code in ["", *self.t.bundles]:
            locale = code or default
            plan.append(("commands", "default", code, self.commands(locale, self.private)))
            plan.append(("commands", "groups", code, self.commands(locale, self.group)))
            plan.append(("description", "", code, self.t(locale, "bot-description")))
            plan.append(("short", "", code, self.t(locale, "bot-short-description")))
        for admin in sorted(self.admins):
            plan.append(("commands", str(admin), "", self.for_person(admin, default)))
        digest = hashlib.sha256(json.dumps(plan, default=str).encode()).hexdigest()
        if await db.meta.get("menus") == digest:
            return
        try:
            for kind, scope, code, value in plan:
                await self._send(kind, scope, code or None, value)
        except TelegramError as exc:
            log.warning("could not set the command menus and descriptions: %s", exc)
            return
        await db.meta.put("menus", digest)

    async def _send(self, kind: str, scope: str, code: str | None, value: object) -> None:
        if kind == "description":
            await self.bot.set_my_description(str(value), language_code=code)
        elif kind == "short":
            await self.bot.set_my_short_description(str(value), language_code=code)
        elif scope == "default":
            await self.bot.set_my_commands(value, language_code=code)  # type: ignore[arg-type]
        elif scope == "groups":
            await self.bot.set_my_commands(
                value,  # type: ignore[arg-type]
                scope=BotCommandScopeAllGroupChats(),
                language_code=code,
            )
        else:
            await self.bot.set_my_commands(value, scope=BotCommandScopeChat(int(scope)))  # type: ignore[arg-type]

    async def chose(self, user_id: int, locale: str) -> None:
        """A person chose a language: their private menu in it."""
        try:
            await self.bot.set_my_commands(
                self.for_person(user_id, locale), scope=BotCommandScopeChat(user_id)
            )
        except TelegramError as exc:
            log.info("could not set the menu of user %d: %s", user_id, exc)
