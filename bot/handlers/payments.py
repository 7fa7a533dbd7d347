"""Credits for Telegram Stars: /buy, the invoice, the pre-checkout answer, the payment.

STARS_PACKS lists what is sold (credits for stars); without it /buy says that nothing is.
An invoice's payload names its pack, `pack:<credits>:<stars>`: the pre-checkout query is
accepted only for a pack still sold at that price (a banned person's is refused by the gate),
and a successful payment credits the pack once per `telegram_payment_charge_id` (the ledger's
unique key), however often Telegram delivers it. A payment is credited even if the pack has
been withdrawn meanwhile: it was paid for.
"""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, Update
from telegram.ext import ContextTypes

from bot.handlers.common import remember
from bot.services import Services, services

log = logging.getLogger(__name__)

STARS = "XTR"
PAYLOAD = re.compile(r"^pack:(\d{1,7}):(\d{1,5})$")
BUY = re.compile(r"^b:(\d{1,7}):(\d{1,5})$")


def pack_of(payload: str) -> tuple[int, int] | None:
    match = PAYLOAD.match(payload)
    return (int(match[1]), int(match[2])) if match else None


async def buy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, s = update.effective_message, services(context)
    if message is None:
        return
    locale = await remember(update, context)
    if not s.packs:
        await message.reply_text(s.translate(locale, "buy-nothing"))
        return
    rows = [
        [
            InlineKeyboardButton(
                s.translate(locale, "buy-pack", credits=credits, stars=stars),
                callback_data=f"b:{credits}:{stars}",
            )
        ]
        for credits, stars in s.packs
    ]
    await message.reply_text(
        s.translate(locale, "buy-choose"), reply_markup=InlineKeyboardMarkup(rows)
    )


async def on_pack(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pack's button: the invoice for it, in the chat of the button."""
    query, s = update.callback_query, services(context)
    if query is None or query.message is None:
        return
    locale = await remember(update, context)
    match = BUY.match(query.data or "")
    pack = (int(match[1]), int(match[2])) if match else None
    if pack not in s.packs:
        await query.answer(s.translate(locale, "buy-gone"), show_alert=True)
        return
    await query.answer()
    await send_invoice(s, context, query.message.chat.id, locale, pack)


async def send_invoice(
    s: Services,
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    locale: str,
    pack: tuple[int, int],
) -> None:
    credits, stars = pack
    await context.bot.send_invoice(
        chat_id,
        title=s.translate(locale, "invoice-title", credits=credits),
        description=s.translate(locale, "invoice-description", credits=credits),
        payload=f"pack:{credits}:{stars}",
        currency=STARS,
        prices=[LabeledPrice(s.translate(locale, "invoice-title", credits=credits), stars)],
    )


async def pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answered at once (Telegram waits ten seconds at most)."""
    query, s = update.pre_checkout_query, services(context)
    if query is None:
        return
    pack = pack_of(query.invoice_payload)
    if pack in s.packs and query.currency == STARS and query.total_amount == pack[1]:
        await query.answer(ok=True)
        return
    locale = await remember(update, context)
    log.info("pre-checkout %s refused: payload %r", query.id, query.invoice_payload)
    await query.answer(ok=False, error_message=s.translate(locale, "buy-gone"))


async def paid(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, s = update.effective_message, services(context)
    payment = message.successful_payment if message else None
    if message is None or payment is None or message.from_user is None:
        return
    locale = await remember(update, context)
    pack = pack_of(payment.invoice_payload)
    user_id, charge = message.from_user.id, payment.telegram_payment_charge_id
    if pack is None or payment.currency != STARS:
        log.error(
            "payment %s by user %d has an unknown payload %r",
            charge,
            user_id,
            payment.invoice_payload,
        )
        return
    credited = await s.ledger.add(
        user_id, "purchase", pack[0], stars=payment.total_amount, charge_id=charge
    )
    if not credited:
        log.info("payment %s was credited before", charge)
        return
    log.info(
        "payment %s: %d credits for %d stars to user %d",
        charge,
        pack[0],
        payment.total_amount,
        user_id,
    )
    balance = await s.ledger.balance(user_id)
    await message.reply_text(
        s.translate(locale, "buy-done", credits=pack[0], balance=balance.bought)
    )
