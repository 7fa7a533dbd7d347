"""Messages that are not commands the bot knows: plain text as a prompt (always in private
chats; in groups when it is meant for the bot), and one line for what it cannot use."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.flows.store import ASK_IMAGINE
from bot.handlers.common import remember, start_prompt
from bot.handlers.prompt_edit import edited_prompt
from bot.handlers.region import new_region_prompt
from bot.services import services


def mentioned_text(message: Message, bot_username: str) -> str | None:
    """The text (or caption) of a message that mentions the bot, the mention taken out;
    else None."""
    text = message.text or message.caption or ""
    mention = f"@{bot_username}".lower()
    found = message.parse_entities if message.text else message.parse_caption_entities
    mentioned = any(
        entity.type == MessageEntity.MENTION and value.lower() == mention
        for entity, value in found([MessageEntity.MENTION]).items()
    )
    if not mentioned:
        return None
    start = text.lower().find(mention)
    return text[:start] + text[start + len(mention) :]


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message and message.text and not await answers_flow(update, context):
        await start_prompt(update, context, message.text)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A mention of the bot, or the answer to a prompt it asked this person for; any other
    message, replies to the bot included, is chatter."""
    message = update.effective_message
    if message is None or message.text is None or await answers_flow(update, context):
        return
    text = mentioned_text(message, context.bot.username)
    if text is None and await answers_question(update, context, ASK_IMAGINE):
        text = message.text
    if text is not None:
        await start_prompt(update, context, text)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have: in a group only when it names this bot (`/x@bot`),
    as a command without the name may be another bot's."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    command, _, addressee = message.text.split(maxsplit=1)[0].partition("@")
    if message.chat.type != ChatType.PRIVATE and addressee.lower() != context.bot.username.lower():
        return
    locale = await remember(update, context)
    await message.reply_text(
        services(context).translate(locale, "unknown-command", command=command)
    )


async def unusable(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything else in a private chat (a sticker, a voice message, …): what the bot can do."""
    if update.effective_message is None:
        return
    locale = await remember(update, context)
    await update.effective_message.reply_text(services(context).translate(locale, "cannot-use"))


async def answers_question(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str) -> bool:
    """Whether this message answers a question of `kind` the bot asked this person
    (ForceReply); the question is then answered."""
    message, user = update.effective_message, update.effective_user
    replied = message.reply_to_message if message else None
    if message is None or user is None or replied is None:
        return False
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return False
    flows = services(context).db.flows
    return await flows.answer(kind, message.chat_id, replied.message_id, user.id)


async def answers_flow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A reply that a flow waits for: a picker's new prompt, a Custom Zoom's or Remix's."""
    return await new_region_prompt(update, context) or await edited_prompt(update, context)


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its jobs and settings follow it."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await services(context).courier.migrate(old, new)
