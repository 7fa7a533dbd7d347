"""The services a handler reaches through `context.bot_data`."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ContextTypes

from bot.albums import Albums
from bot.credits import Ledger
from bot.delivery import Courier
from bot.i18n import Translator
from bot.jobs import JobService
from bot.media import Media
from bot.menus import Menus
from bot.originals import Originals
from bot.prompt_images import PromptImages
from bot.providers.base import Provider
from bot.store import Database
from bot.tracker import Tracker


@dataclass
class Services:
    translate: Translator
    db: Database
    provider: Provider
    courier: Courier
    tracker: Tracker
    jobs: JobService
    media: Media
    originals: Originals
    images: PromptImages
    albums: Albums
    ledger: Ledger
    menus: Menus
    packs: tuple[tuple[int, int], ...] = ()  # STARS_PACKS: (credits, stars)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]
