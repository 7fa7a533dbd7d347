"""Starting jobs: from a prompt, or from a tap on a result's button."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.credits import Ledger, Refusal
from bot.delivery import Courier
from bot.domain import Action, Button, Job, JobStatus
from bot.preferences import Preferences, apply
from bot.prompt_images import PromptImages
from bot.providers.base import Provider
from bot.providers.tasks import Capability
from bot.store import Database
from bot.tracker import Tracker

log = logging.getLogger(__name__)


class TapOutcome(StrEnum):
    STARTED = "started"
    RUNNING = "running"  # the same button's job is still in progress
    DONE = "done"  # an upscale that was already delivered
    STALE = "stale"  # unknown job or button, or not from this chat
    NOT_YOURS = "not_yours"
    UNSUPPORTED = "unsupported"
    NEEDS_INPUT = "needs_input"  # a button that asks the person first (a mask, a prompt)
    NO_CREDITS = "no_credits"
    TOO_MANY = "too_many"  # the person has MAX_JOBS_PER_USER jobs running


@dataclass(frozen=True)
class Given:
    """What the person gave a button that needs input: the prompt to run it with, and for
    Vary (Region) the cells to repaint (see Job.region)."""

    prompt: str
    region: dict[str, Any] | None = None


@dataclass(frozen=True)
class Tap:
    outcome: TapOutcome
    button: Button | None = None


class JobService:
    def __init__(
        self,
        db: Database,
        provider: Provider,
        tracker: Tracker,
        courier: Courier,
        images: PromptImages,
        ledger: Ledger,
    ) -> None:
        self.db = db
        self.ledger = ledger
        self.provider = provider
        self.images = images
        self.tracker = tracker
        self.courier = courier
        self._taps = asyncio.Lock()  # one tap at a time decides whether to start a job

    async def imagine(
        self,
        *,
        user_id: int,
        chat_id: int,
        prompt: str,
        message_id: int,
        locale: str,
        sender_chat_id: int | None = None,
        speed: str | None = None,
        images: Sequence[str] = (),
        action: Action = Action.IMAGINE,
    ) -> Job | Refusal:
        """A job from what the person sent in message `message_id`: an imagine, or a
        describe or blend (`action`) of the photos; or why not (credits, jobs running).
        `sender_chat_id`: the chat the prompt was sent as (an anonymous administrator);
        `speed`: the person's chosen mode, if the provider offers it; `images`: Telegram file
        ids of the photos."""
        job = Job(
            id=0,
            user_id=user_id,
            chat_id=chat_id,
            action=action,
            prompt=prompt,
            provider=self.provider.name,
            request_message_id=message_id,
            locale=locale,
            sender_chat_id=sender_chat_id,
            speed=self._speed(speed),
            image_prompts=list(images),
        )
        refusal = await self._create(job)
        return refusal or await self._start(job)

    async def press(
        self,
        *,
        job_id: int,
        n: int,
        user_id: int,
        chat_id: int,
        message_id: int,
        private: bool,
        locale: str,
        administers: Callable[[int], Awaitable[bool]],
        prefs: Preferences | None = None,
        given: Given | None = None,
    ) -> Tap:
        """Start the job behind button `n` of job `job_id`, tapped under message `message_id`,
        if this person may and should. `administers(chat id)` tells whether the person is an
        administrator of that chat: a job asked for as a chat is theirs; `prefs` are the
        person's settings. A button that needs input (or, with Remix on, a remixable one) is
        NEEDS_INPUT until it is `given`."""
        prefs = prefs or Preferences()
        parent = await self.db.jobs.get(job_id)
        if (
            parent is None
            or parent.chat_id != chat_id
            # A tap can come in while the result is being marked as posted.
            or parent.status not in (JobStatus.SUCCEEDED, JobStatus.DELIVERED)
            or parent.result_message_id not in (None, message_id)
            or not 0 <= n < len(parent.buttons)
        ):
            return Tap(TapOutcome.STALE)
        button = parent.buttons[n]
        if not private and not await self.may_press(parent, user_id, administers):
            return Tap(TapOutcome.NOT_YOURS, button)
        if not self._runs(button.action):
            return Tap(TapOutcome.UNSUPPORTED, button)
        remix = prefs.remix and button.action.remixable and self._remixes
        if (button.action.needs_input or remix) and given is None:
            return Tap(TapOutcome.NEEDS_INPUT, button)
        async with self._taps:
            earlier = await self.db.jobs.children(parent.id, n)
            if any(not job.status.is_final for job in earlier):
                return Tap(TapOutcome.RUNNING, button)
            if button.action.once_per_result and any(
                job.status is JobStatus.DELIVERED for job in earlier
            ):
                return Tap(TapOutcome.DONE, button)
            prompt, images = self._follow_up(parent, button, prefs)
            job = Job(
                region=given.region if given else None,
                remix=given is not None and button.action.remixable,
                id=0,
                user_id=user_id,
                chat_id=chat_id,
                action=button.action,
                index=button.index if button.action is not Action.IMAGINE else 0,
                prompt=given.prompt if given else prompt,
                provider=self.provider.name,
                parent_id=parent.id,
                button_index=n,
                request_message_id=message_id,
                locale=locale,
                speed=self._speed(prefs.speed),
                image_prompts=images,
            )
            refusal = await self._create(job)
        if refusal is not None:
            return Tap(TapOutcome(refusal.value), button)
        self.courier.mark_pressed(parent, message_id)
        await self._start(job)
        return Tap(TapOutcome.STARTED, button)

    @property
    def _remixes(self) -> bool:
        return Capability.REMIX in self.provider.capabilities

    def _runs(self, action: Action) -> bool:
        """Whether a tap can start `action`: the provider's follow-ups as it says, and the
        bot's own buttons under a describe's answer."""
        if action is Action.IMAGINE:
            return True
        if action is Action.DESCRIBE:
            return Capability.DESCRIBE in self.provider.capabilities
        return self.provider.supports(action)

    def _follow_up(self, parent: Job, button: Button, prefs: Preferences) -> tuple[str, list[str]]:
        """The prompt and photos of the job a button starts: the parent's, or, under a
        describe's answer, the chosen prompt (with the photo, where it can go along) or the
        photo described again."""
        if button.action is Action.IMAGINE:
            prompt = parent.prompts[button.index - 1]
            inline = Action.IMAGINE in self.provider.inline_images
            images = parent.image_prompts if self.images.possible(inline) else []
            return apply(prompt, prefs), images
        if button.action is Action.DESCRIBE:
            return "", parent.image_prompts
        return parent.prompt, []

    def _speed(self, speed: str | None) -> str | None:
        return speed if speed in self.provider.speeds else None

    async def may_press(
        self, parent: Job, user_id: int, administers: Callable[[int], Awaitable[bool]]
    ) -> bool:
        """Whether this person may use the buttons of `parent` in a group."""
        if parent.sender_chat_id is None and user_id == parent.user_id:
            return True
        if await self.db.chats.everyone_may_press(parent.chat_id):
            return True
        return parent.sender_chat_id is not None and await administers(parent.sender_chat_id)

    async def _create(self, job: Job) -> Refusal | None:
        """Persist the job with its credits reserved, or say why it may not run."""
        cost = self.ledger.pricing.cost(job.action)
        guard = self.ledger.guard(job.user_id, cost, time.time())
        if await self.db.jobs.create_within(job, guard):
            return None
        refusal = await self.ledger.refusal(job.user_id)
        log.info("job refused for user %d: %s", job.user_id, refusal)
        return refusal

    async def _start(self, job: Job) -> Job:
        """Show, then hand to the tracker: nothing is sent before the row exists, and
        nothing is submitted for a chat the bot cannot post in."""
        log.info(
            "job %d created: %s by user %d in chat %d", job.id, job.action, job.user_id, job.chat_id
        )
        try:
            await self.courier.announce(job)
        except (Forbidden, BadRequest) as exc:
            await self.tracker.abandon(job, f"the chat refused the status message: {exc}")
            return job
        except TelegramError as exc:
            log.warning("job %d: status message not posted: %s", job.id, exc)
        self.tracker.add(job)
        return job
