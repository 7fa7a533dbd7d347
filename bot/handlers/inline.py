"""Inline mode: `@bot words` in any chat lists the person's own past images whose prompt has
every word in it (newest first; no words: the latest), to share one there.

Each is Telegram's own copy of the photo (`InlineQueryResultCachedPhoto` by the stored
`file_id`), captioned with its prompt. A shared image is a plain photo: no keyboard, since
its buttons would start jobs in a chat that never asked for them (/history posts a result
again with its buttons). Answers are personal and cached briefly by Telegram; each is one
indexed query (bot/history.py), with Telegram's `offset` for the next results.
"""

from __future__ import annotations

from telegram import InlineQueryResultCachedPhoto, InlineQueryResultsButton, Update
from telegram.ext import ContextTypes

from bot.handlers.common import remember
from bot.services import services

RESULTS = 20  # per answer
CACHE_SECONDS = 10
CAPTION_LIMIT = 1024  # Telegram's, in UTF-16 code units


def caption(prompt: str) -> str | None:
    """The prompt, shortened to fit a photo's caption."""
    if not prompt:
        return None
    if len(prompt.encode("utf-16-le")) // 2 <= CAPTION_LIMIT:
        return prompt
    kept = ""
    room = CAPTION_LIMIT - 1  # for the "…"
    for char in prompt:
        room -= len(char.encode("utf-16-le")) // 2
        if room < 0:
            break
        kept += char
    return kept + "…"


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    s = services(context)
    locale = await remember(update, context)
    offset = int(query.offset) if query.offset.isdigit() else 0
    jobs, more = await s.db.history.photos(query.from_user.id, query.query, offset, RESULTS)
    results = [
        InlineQueryResultCachedPhoto(
            id=str(job.id), photo_file_id=job.file_id or "", caption=caption(job.prompt)
        )
        for job in jobs
    ]
    button = None
    if not results and offset == 0:
        button = InlineQueryResultsButton(
            s.translate(locale, "inline-nothing"), start_parameter="inline"
        )
    await query.answer(
        results,
        cache_time=CACHE_SECONDS,
        is_personal=True,
        next_offset=str(offset + RESULTS) if more else "",
        button=button,
    )
