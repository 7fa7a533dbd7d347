"""Telegram Stars end to end: /buy → invoice → pre-checkout → payment → credits, each
payment credited once, packs checked at pre-checkout, and an admin's refund."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.telegram import FakeTelegram
from tests.test_credits import ADMIN, balanced, running
from tests.test_e2e import USER, callback, imagine_grid, text_containing

pytestmark = pytest.mark.parametrize("provider", ["mock"], indirect=True)
PACKS = {"STARS_PACKS": "20:50,100:200", "DAILY_FREE_CREDITS": "0"}


async def invoice_for(telegram: FakeTelegram, chat: dict, user: dict, label: str) -> dict:
    telegram.send_text(chat, user, "/buy")
    panel = await telegram.wait_for(
        lambda: next(
            (m for m in telegram.bot_messages(chat["id"]) if "Choose a pack" in m.get("text", "")),
            None,
        )
    )
    query = telegram.tap(chat, user, panel["message_id"], callback(panel, label))
    await telegram.wait_for(lambda: query in telegram.answers)
    return await telegram.wait_for(
        lambda: next((m for m in telegram.bot_messages(chat["id"]) if "invoice" in m), None)
    )


async def pay(telegram: FakeTelegram, chat: dict, user: dict, invoice: dict) -> dict[str, Any]:
    query = telegram.pre_checkout(chat, user, invoice["message_id"])
    answer = await telegram.wait_for(lambda: telegram.pre_checkout_answers.get(query))
    assert answer["ok"] is True
    return telegram.complete_payment(query)


async def test_buy_pay_and_get_credits_once(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env, **PACKS) as bot:
        telegram.send_text(chat, user, "/imagine before paying")
        refused = await text_containing(telegram, USER, "Not enough credits")
        assert "Get more with /buy" in refused
        invoice = await invoice_for(telegram, chat, user, "20 credits for 50 ⭐")
        assert invoice["invoice"]["currency"] == "XTR"
        assert invoice["invoice"]["total_amount"] == 50
        paid = await pay(telegram, chat, user, invoice)
        await text_containing(telegram, USER, "20 credits added")

        # The same charge delivered again (Telegram redelivers) changes nothing.
        payment = paid["successful_payment"]
        telegram.successful_payment(
            chat, user, payment["invoice_payload"], 50, payment["telegram_payment_charge_id"]
        )
        await imagine_grid(telegram, chat, user, "after paying")
        assert sum("credits added" in text for text in telegram.texts(USER)) == 1
        assert await balanced(bot, USER) == 19


async def test_pre_checkout_refuses_a_pack_not_sold(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env, **PACKS) as bot:
        invoice = await invoice_for(telegram, chat, user, "100 credits for 200 ⭐")
        # The price changed since the invoice was sent.
        telegram.invoices[(USER, invoice["message_id"])]["prices"][0]["amount"] = 150
        query = telegram.pre_checkout(chat, user, invoice["message_id"])
        answer = await telegram.wait_for(lambda: telegram.pre_checkout_answers.get(query))
        assert answer["ok"] is False and "no longer on sale" in answer["error_message"]
        assert await balanced(bot, USER) == 0


async def test_a_banned_person_cannot_pay(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    async with running(bot_env, **PACKS):
        invoice = await invoice_for(telegram, chat, user, "20 credits for 50 ⭐")
        telegram.send_text(telegram.private_chat(ADMIN), telegram.user(ADMIN), f"/ban {USER}")
        await text_containing(telegram, ADMIN, "is banned")
        query = telegram.pre_checkout(chat, user, invoice["message_id"])
        answer = await telegram.wait_for(lambda: telegram.pre_checkout_answers.get(query))
        assert answer["ok"] is False and "can no longer use" in answer["error_message"]


async def test_admin_refunds_a_payment_and_takes_back_what_is_left(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    admin_chat, admin = telegram.private_chat(ADMIN), telegram.user(ADMIN)
    async with running(bot_env, **PACKS) as bot:
        paid = await pay(
            telegram, chat, user, await invoice_for(telegram, chat, user, "20 credits for 50 ⭐")
        )
        charge = paid["successful_payment"]["telegram_payment_charge_id"]
        await text_containing(telegram, USER, "credits added")
        await imagine_grid(telegram, chat, user, "one spent")

        telegram.send_text(admin_chat, admin, f"/refund {charge}")
        done = await text_containing(telegram, ADMIN, "Refunded")
        assert "50 ⭐" in done and "19 credits taken back" in done
        assert [(int(r["user_id"]), r["telegram_payment_charge_id"]) for r in telegram.refunds] == [
            (USER, charge)
        ]
        assert await balanced(bot, USER) == 0

        telegram.send_text(admin_chat, admin, f"/refund {charge}")
        await text_containing(telegram, ADMIN, "already refunded")
        telegram.send_text(admin_chat, admin, "/refund stx-no-such-charge")
        await text_containing(telegram, ADMIN, "no payment with that charge id")
        assert len(telegram.refunds) == 1
        assert await balanced(bot, USER) == 0
