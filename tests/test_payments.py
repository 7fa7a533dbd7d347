"""Telegram Stars end to end: /buy → invoice → pre-checkout → payment → credits, each
payment credited once, packs checked at pre-checkout, and an admin's refund."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.telegram import FakeTelegram
from tests.test_credits import ADMIN, balanced, running
from tests.test_e2e import USER, callback, imagine_grid, photos, text_containing

pytestmark = pytest.mark.parametrize("provider", ["mock"], indirect=True)
PACKS = {"STARS_PACKS": "20:50,100:200", "DAILY_FREE_CREDITS": "0"}


async def invoice_for(telegram: FakeTelegram, chat: dict, user: dict, label: str) -> dict:
    def invoices() -> list[dict]:
        return [m for m in telegram.bot_messages(chat["id"]) if "invoice" in m]

    def panels() -> list[dict]:
        return [
            m for m in telegram.bot_messages(chat["id"]) if "Choose a pack" in m.get("text", "")
        ]

    before = len(invoices()), len(panels())
    telegram.send_text(chat, user, "/buy")
    panel = (await telegram.wait_for(lambda: len(panels()) > before[1] and panels()))[-1]
    query = telegram.tap(chat, user, panel["message_id"], callback(panel, label))
    await telegram.wait_for(lambda: query in telegram.answers)
    return (await telegram.wait_for(lambda: len(invoices()) > before[0] and invoices()))[-1]


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


async def test_credits_balance_through_payments_failures_restarts_and_refunds(
    bot_env: dict[str, str], telegram: FakeTelegram, provider: None
) -> None:
    """Every step checks the sum by hand (ledger less the bought part of jobs that did not
    fail) against the balance the bot shows."""
    chat, user = telegram.private_chat(USER), telegram.user(USER)
    admin_chat, admin = telegram.private_chat(ADMIN), telegram.user(ADMIN)
    env = {**PACKS, "DAILY_FREE_CREDITS": "1", "CREDIT_COSTS": "upscale=2"}
    async with running(bot_env, **env) as bot:
        first = await pay(
            telegram, chat, user, await invoice_for(telegram, chat, user, "20 credits for 50 ⭐")
        )
        await text_containing(telegram, USER, "credits added")
        grid = await imagine_grid(telegram, chat, user, "free one")  # the day's free credit
        assert await balanced(bot, USER) == 20
        await imagine_grid(telegram, chat, user, "bought one")
        telegram.send_text(chat, user, "/imagine this will fail")  # the mock fails it
        await text_containing(telegram, USER, "could not finish")
        assert await balanced(bot, USER) == 19
    async with running(bot_env, **env) as bot:  # the same database, after a restart
        telegram.tap(chat, user, grid["message_id"], callback(grid, "U1"))
        await photos(telegram, USER, 3)
        assert await balanced(bot, USER) == 17
        telegram.send_text(admin_chat, admin, f"/grant {USER} 5")
        await text_containing(telegram, ADMIN, "credits given")
        second = await pay(
            telegram, chat, user, await invoice_for(telegram, chat, user, "100 credits for 200 ⭐")
        )
        await telegram.wait_for(
            lambda: sum("credits added" in t for t in telegram.texts(USER)) == 2
        )
        assert await balanced(bot, USER) == 122
        charge = first["successful_payment"]["telegram_payment_charge_id"]
        telegram.send_text(admin_chat, admin, f"/refund {charge}")
        await text_containing(telegram, ADMIN, "20 credits taken back")
        assert await balanced(bot, USER) == 102
        telegram.send_text(chat, user, "/me")
        me = await text_containing(telegram, USER, "Your credits")
        assert "Bought: 102" in me and "Free today: 0 of 1" in me
        assert second["successful_payment"]["total_amount"] == 200
