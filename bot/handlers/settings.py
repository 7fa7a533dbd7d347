"""/settings: a person's own defaults (version, aspect ratio, speed, stylize, raw, remix, and
the language, whose button opens /language's choice) on one screen, edited in place by its
buttons; in a group the same screen also says who may press the buttons of a result, which
the group's administrators change.

Callback data is `p:<owner>:<code>:<value>`. Only the person whose screen it is may change
their settings on it; the group line (`everyone`) is for any administrator of the group.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers.common import edit_in_place, is_admin, remember
from bot.i18n import LANGUAGES, Translator
from bot.preferences import ASPECTS, STYLIZE, VERSIONS, Preferences
from bot.providers.tasks import Capability
from bot.services import services

CALLBACK = re.compile(r"^p:(\d{1,18}):([a-z]{1,8}):([0-9a-z.: ]{0,8})$")
CHOSEN = "✅ "
ASPECTS_PER_ROW = 4


def version_label(version: str) -> str:
    """ "8.1" → "V8.1", "niji 6" → "Niji 6", as Midjourney names them."""
    return version.title() if " " in version else f"V{version}"


def data(owner: int, code: str, value: object = "") -> str:
    return f"p:{owner}:{code}:{value}"


def view(
    t: Translator,
    locale: str,
    owner: int,
    prefs: Preferences,
    speeds: tuple[str, ...],
    everyone: bool | None,
    remix: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    """The screen: its text and its keyboard. `everyone` is None in a private chat; `remix`
    whether the provider can remix (the setting is offered only then)."""

    def button(
        label: str, code: str, value: object = "", chosen: bool = False
    ) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            (CHOSEN if chosen else "") + label, callback_data=data(owner, code, value)
        )

    default, on, off = (
        t(locale, key) for key in ("settings-default", "settings-on", "settings-off")
    )
    text = t(
        locale,
        "settings-personal",
        version=prefs.version or default,
        aspect=prefs.aspect or default,
        speed=t(locale, f"settings-speed-{prefs.speed}") if prefs.speed in speeds else default,
        stylize=prefs.stylize if prefs.stylize is not None else default,
        raw=on if prefs.raw else off,
    )
    if remix:
        text += "\n" + t(locale, "settings-remix-line", remix=on if prefs.remix else off)
    versions = [
        button(version_label(version), "v", version, prefs.version == version)
        for version in VERSIONS
    ]
    aspects = [button(aspect, "ar", aspect, prefs.aspect == aspect) for aspect in ASPECTS]
    rows = [versions]
    rows += [aspects[i : i + ASPECTS_PER_ROW] for i in range(0, len(aspects), ASPECTS_PER_ROW)]
    if speeds:
        rows.append(
            [button(t(locale, f"settings-speed-{s}"), "sp", s, prefs.speed == s) for s in speeds]
        )
    rows.append(
        [button(t(locale, "settings-stylize-off"), "s", "off", prefs.stylize is None)]
        + [button(f"🎨 {value}", "s", value, prefs.stylize == value) for value in STYLIZE]
    )
    rows.append(
        [
            button(t(locale, "settings-raw"), "raw", chosen=prefs.raw),
            *([button(t(locale, "settings-remix"), "remix", chosen=prefs.remix)] if remix else []),
            button(t(locale, "settings-reset"), "reset"),
        ]
    )
    text += "\n" + t(locale, "settings-language-line", language=LANGUAGES[locale])
    language = InlineKeyboardButton(t(locale, "settings-language"), callback_data=f"l:{owner}:")
    rows.append([language])
    if everyone is not None:
        text += "\n\n" + t(locale, "settings-everyone" if everyone else "settings-owner")
        label = t(locale, "settings-set-owner" if everyone else "settings-set-everyone")
        rows.append([button(label, "everyone", 0 if everyone else 1)])
    return text, InlineKeyboardMarkup(rows)


async def show_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    locale = await remember(update, context)
    s = services(context)
    group = message.chat.type != ChatType.PRIVATE
    everyone = await s.db.chats.everyone_may_press(message.chat_id) if group else None
    prefs = await s.db.users.preferences(user.id)
    remix = Capability.REMIX in s.provider.capabilities
    text, markup = view(s.translate, locale, user.id, prefs, s.provider.speeds, everyone, remix)
    await message.reply_text(text, reply_markup=markup)


async def on_setting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    locale = await remember(update, context)
    s = services(context)
    match = CALLBACK.match(query.data or "")
    if match is None or query.message is None:
        await query.answer(s.translate(locale, "tap-stale"), show_alert=True)
        return
    owner, code, value = int(match.group(1)), match.group(2), match.group(3)
    chat = query.message.chat
    group = chat.type != ChatType.PRIVATE
    prefs = await s.db.users.preferences(owner)
    if code == "everyone":
        if not group or not await is_admin(context.bot, chat.id, query.from_user.id):
            await query.answer(s.translate(locale, "settings-admins-only"), show_alert=True)
            return
        await s.db.chats.set_everyone_may_press(chat.id, value == "1")
    elif query.from_user.id != owner:
        await query.answer(s.translate(locale, "settings-not-yours"), show_alert=True)
        return
    else:
        prefs = prefs.choose(code, value)
        await s.db.users.set_preferences(owner, prefs)
    everyone = await s.db.chats.everyone_may_press(chat.id) if group else None
    remix = Capability.REMIX in s.provider.capabilities
    text, markup = view(s.translate, locale, owner, prefs, s.provider.speeds, everyone, remix)
    await query.answer(s.translate(locale, "settings-saved"))
    await edit_in_place(query, text, markup)
