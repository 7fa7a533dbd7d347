"""The operator's commands, for ADMIN_USER_IDS only: /stats, /ban, /unban, /grant, /refund.

They are registered with a filter on the admins' ids, so for anyone else they fall through to
the unknown-command answer, as if they did not exist (and they are only in the admins' menu).
A person named by @username must have used the bot (Telegram cannot look a username up for a
bot); by id, anyone.

/refund <charge id> refunds a Stars payment: the ledger is debited first (at most the bought
balance the person still has: credits already spent stay spent, so the balance never goes
below zero), then Telegram is asked; if Telegram refuses, the debit is taken back. A refund
asked again after a crash between the two asks Telegram again, which says whether it is done.
"""

from __future__ import annotations

import html
import logging
import time

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.credits import DAY, day_start
from bot.handlers.common import remember
from bot.services import Services, services
from bot.stats import Stats, stats_since

log = logging.getLogger(__name__)

MAX_GRANT = 1_000_000


async def target(s: Services, word: str) -> int | None:
    """A user id from `123456` or `@username`."""
    if word.isdigit():
        return int(word)
    return await s.db.users.find(word) if word.startswith("@") else None


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, s = update.effective_message, services(context)
    if message is None:
        return
    locale = await remember(update, context)
    today = day_start(time.time())
    parts = []
    for key, since in (("stats-today", today), ("stats-week", today - 6 * DAY)):
        report = await stats_since(s.db.connection, since)
        parts.append(f"<b>{s.translate(locale, key)}</b>\n" + stats_text(s, locale, report))
    await message.reply_text("\n\n".join(parts), parse_mode=ParseMode.HTML)


def stats_text(s: Services, locale: str, report: Stats) -> str:
    def listed(counts: dict[str, int]) -> str:
        return ", ".join(f"{name} {n}" for name, n in counts.items()) or "—"

    top = ", ".join(f"{html.escape(name)} {spent}" for _, name, spent in report.top) or "—"
    return s.translate(
        locale,
        "stats-report",
        statuses=listed(report.by_status),
        actions=listed(report.by_action),
        failures=listed(report.failures),
        credits=report.credits_spent,
        stars=report.stars,
        people=report.people,
        top=top,
    )


async def ban(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await set_ban(update, context, banned=True)


async def unban(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await set_ban(update, context, banned=False)


async def set_ban(update: Update, context: ContextTypes.DEFAULT_TYPE, banned: bool) -> None:
    message, s = update.effective_message, services(context)
    if message is None:
        return
    locale = await remember(update, context)
    args = context.args or []
    user_id = await target(s, args[0]) if len(args) == 1 else None
    if user_id is None:
        key = "admin-unknown-user" if len(args) == 1 else "admin-ban-usage"
        await message.reply_text(s.translate(locale, key, command="ban" if banned else "unban"))
        return
    if banned and user_id in context.bot_data["settings"].admin_user_ids:
        await message.reply_text(s.translate(locale, "admin-ban-admin"))
        return
    await s.db.users.set_banned(user_id, banned)
    log.info("user %d %s by admin %d", user_id, "banned" if banned else "unbanned", message.chat_id)
    key = "admin-banned" if banned else "admin-unbanned"
    await message.reply_text(s.translate(locale, key, user=str(user_id)))


async def grant(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, s = update.effective_message, services(context)
    if message is None or message.from_user is None:
        return
    locale = await remember(update, context)
    args = context.args or []
    if len(args) != 2 or not args[1].isdigit() or not 1 <= int(args[1]) <= MAX_GRANT:
        await message.reply_text(s.translate(locale, "admin-grant-usage", most=MAX_GRANT))
        return
    user_id = await target(s, args[0])
    if user_id is None:
        await message.reply_text(s.translate(locale, "admin-unknown-user", command="grant"))
        return
    credits = int(args[1])
    await s.db.users.ensure(user_id)
    await s.ledger.add(user_id, "grant", credits, admin_id=message.from_user.id)
    log.info("admin %d granted %d credits to user %d", message.from_user.id, credits, user_id)
    balance = await s.ledger.balance(user_id)
    text = s.translate(
        locale, "admin-granted", credits=credits, user=str(user_id), balance=balance.bought
    )
    await message.reply_text(text)


async def refund(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, s = update.effective_message, services(context)
    if message is None or message.from_user is None:
        return
    locale = await remember(update, context)
    args = context.args or []
    payment = await s.ledger.entry("purchase", args[0]) if len(args) == 1 else None
    if payment is None:
        key = "admin-refund-unknown" if len(args) == 1 else "admin-refund-usage"
        await message.reply_text(s.translate(locale, key))
        return
    charge = args[0]
    user_id, credits, stars = payment
    taken = await s.ledger.take_back(user_id, credits, stars, charge, message.from_user.id)
    first = taken is not None
    if taken is None:  # asked before: what was taken back then
        taken = -((await s.ledger.entry("refund", charge)) or (0, 0, 0))[1]
    try:
        await context.bot.refund_star_payment(user_id, charge)
    except TelegramError as exc:
        if "charge_already_refunded" in str(exc).lower():
            await message.reply_text(s.translate(locale, "admin-refund-done-before"))
            return
        if first:
            await s.ledger.remove("refund", charge)
        log.warning("refund of %s refused by Telegram: %s", charge, exc)
        await message.reply_text(s.translate(locale, "admin-refund-failed", reason=str(exc)))
        return
    log.info("payment %s refunded: %d stars, %d credits taken back", charge, stars, taken)
    text = s.translate(locale, "admin-refunded", stars=stars, credits=taken, user=str(user_id))
    await message.reply_text(text)
