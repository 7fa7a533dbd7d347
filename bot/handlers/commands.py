"""/start, /help and /imagine."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers.common import remember, start_prompt
from bot.handlers.prompts import ask_for_prompt
from bot.services import services


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    locale = await remember(update, context)
    if update.effective_message:
        await update.effective_message.reply_text(services(context).translate(locale, "start"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    locale = await remember(update, context)
    if update.effective_message:
        text = services(context).translate(locale, "help", bot=context.bot.username)
        await update.effective_message.reply_text(text)


async def imagine(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/imagine <prompt>: everything after the command, line breaks included; sent as a reply
    to a photo, the photo is its image prompt. Alone, it asks for the prompt."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    parts = message.text.split(maxsplit=1)
    if len(parts) < 2:
        await ask_for_prompt(update, context)
        return
    replied = message.reply_to_message
    photo = [replied.photo[-1]] if replied and replied.photo else []
    await start_prompt(update, context, parts[1], photo)
