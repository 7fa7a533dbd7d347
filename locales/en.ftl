## Commands

start =
    👋 Hi! I draw pictures with Midjourney.

    Send /imagine followed by a description, for example:
    /imagine a lighthouse in a storm, oil painting --ar 3:2

    I post a grid of four images with buttons: U1–U4 upscale one image, V1–V4 make variations of it, 🔄 draws the grid again.
help =
    How to use me:

    • /imagine <prompt> — draw four images.
    • In a private chat, any text message is a prompt too.
    • In a group, use /imagine or mention me. /imagine alone asks for the prompt: reply to my question with it.
    • Midjourney parameters work as usual: --ar 16:9, --v 6.1, --chaos 20, --no text, …
    • Under each result: U1–U4 upscale an image, V1–V4 make variations, 🔄 draws again. Later results offer Vary, Zoom, Pan and Upscale buttons, and ⬇️ Full size sends the original file.
    • 🖌️ Vary (Region) shows the image with numbered squares: tap the ones to repaint, reply with a new prompt if you like, then ✅ Submit. 🔍 Custom Zoom asks for the prompt of the zoomed-out image. 🎬 Animate turns an image into a short video.
    • A photo with a caption draws with the photo as an image prompt (an album: up to 5 photos).
    • /describe with a photo (as its caption, in reply to it, or alone, then the photo) suggests four prompts for it.
    • /blend with 2–5 photos (an album captioned /blend, or /blend alone, then the photos) blends them into one image; add --ar 2:3 or --ar 3:2 for portrait or landscape.
    • /settings — your defaults: version, aspect ratio, speed, stylize, raw style, Remix (variations ask for the prompt first) and language (/language).
    • /me — your credits and what they went on; /buy — more credits for Telegram Stars.
    • /history — your past images, to post one again with its buttons. To share one in any chat, type @{ $bot } and a few words of its prompt.

    In a group, only the person who asked for an image can press its buttons; the group's administrators can let everyone press them with /settings.
unknown-command = 🤔 I don't know { $command }. To draw, send /imagine and a description; /help shows everything I can do.
cannot-use = 🤷 I can't use that. Send me a description of what to draw, or /help to see everything I can do.
command-imagine = Draw four images from a prompt
command-help = How to use the bot
command-describe = Four prompts that describe a photo
command-blend = Blend 2–5 photos into one image
command-settings = Your defaults: version, aspect ratio, speed, style
command-language = Choose the bot's language
command-me = Your credits and what you spent them on
command-buy = Buy credits with Telegram Stars
command-history = Your images, to post again
command-stats = Admin: usage and money, today and this week
command-ban = Admin: stop someone using the bot
command-unban = Admin: let someone use the bot again
command-grant = Admin: give someone credits
command-refund = Admin: refund a Stars payment
bot-description = I draw pictures with Midjourney, right in Telegram. Send me a description and get four images, then upscale, vary, zoom, pan, repaint a region or animate them with one tap. Photos work too: describe them, blend them, or draw with them as a prompt.
bot-short-description = Midjourney in Telegram: describe it, and I draw it.
banned = 🚫 Sorry, you can no longer use this bot.
private-bot = 🔒 Sorry, this bot is private.

## Settings

settings-personal =
    ⚙️ Your settings. They apply to your prompts unless a prompt sets the same parameter itself.
    Version: { $version }
    Aspect ratio: { $aspect }
    Speed: { $speed }
    Stylize: { $stylize }
    Raw style: { $raw }
settings-default = default
settings-on = on
settings-off = off
settings-speed-fast = ⚡ Fast
settings-speed-relax = 🐢 Relax
settings-speed-turbo = 🚀 Turbo
settings-stylize-off = 🎨 off
settings-raw = 📷 Raw
settings-remix = 🎛️ Remix
settings-remix-line = Remix: { $remix } (variations, 🔄, Vary and Pan ask for the prompt first)
settings-reset = ↩️ Reset
settings-not-yours = These are someone else's settings. Send /settings to see yours.
settings-owner = 👥 In this chat, only the person who asked for an image can press its buttons.
settings-everyone = 👥 In this chat, everyone can press the buttons of every image.
settings-set-everyone = Let everyone press the buttons
settings-set-owner = Only the person who asked
settings-saved = ✅ Saved
settings-admins-only = Only the group's administrators can change this.
settings-language = 🌐 Language
settings-language-line = Language: { $language }
language-choose = 🌐 Choose your language:
language-chosen = ✅ I'll speak English with you from now on.

## Prompts

prompt-empty = ✍️ Write what to draw after the command, for example: /imagine a red fox in the snow
prompt-too-long = ✂️ That prompt is too long. Please keep it under { $limit } characters.
ask-prompt = ✍️ What should I draw? Reply to this message with a description, for example: a red fox in the snow
ask-prompt-placeholder = A red fox in the snow
photo-needs-caption = 🖼️ To draw with this photo, send it again with a caption saying what to draw.
album-too-many = 🖼️ A prompt can take up to { $limit } photos. Please send at most { $limit } in one album.
image-prompt-needs-url = 🖼️ This bot can't hand photos to its image service yet: its operator needs to set PUBLIC_URL. Send the prompt as text instead.
not-offered-describe = 🙅 The image service this bot uses cannot describe photos.
not-offered-blend = 🙅 The image service this bot uses cannot blend photos.

## Describe and blend

describe-ask = 🔎 Send me the photo to describe.
blend-ask = 🧩 Send me the photos to blend: 2 to { $limit }, one by one or as an album.
photo-placeholder = Attach a photo
describe-result = 🔎 Prompts for this photo. Tap a number to draw one:
describe-one-photo = 🔎 /describe takes one photo at a time: please send it on its own.
blend-collected = 🧩 { $count ->
        [one] One photo so far. Send at least one more.
       *[other] { $count } photos so far. Send more (up to { $limit }) or tap ✅ Blend.
    }
blend-full = 🧩 { $count } photos: that's the most a blend takes. Tap ✅ Blend.
blend-too-many = 🧩 A blend takes at most { $limit } photos, so I left this one out.
blend-needs-photos = 🧩 A blend needs 2 to { $limit } photos: send them as an album with /blend as the caption, or send /blend first and then the photos.
blend-bad-shape = 🧩 /blend takes only a shape: --ar 2:3 (portrait), --ar 1:1 (square) or --ar 3:2 (landscape).
blend-started = 🧩 Blending { $count } photos…
blend-cancelled = ✖️ Blend cancelled.
button-go-blend = ✅ Blend
region-opening = 🖌️ Choose the area to repaint
region-picker =
    🖌️ Tap the squares to repaint, then ✅ Submit. To change the prompt, reply to this message with the new one.

    Prompt: { $prompt }
region-needs-url = This bot can't hand a mask to its image service yet: its operator needs to set PUBLIC_URL.
region-empty = Choose at least one square to repaint first.
region-started = 🖌️ Repainting…
region-submitted = 🖌️ Repainting squares { $cells }.
region-failed = ⚠️ I couldn't get this image to draw the grid on. Please try again in a little while.
button-submit = ✅ Submit
zoom-ask =
    🔍 Reply to this message with the prompt for the zoomed-out image, with a --zoom from 1 to 2 (I add --zoom 2 if you give none). The current prompt, to copy:
    { $prompt }
zoom-placeholder = The prompt, with --zoom 1.5 for example
remix-ask =
    🎛️ Remix: reply to this message with the prompt for { $action }, or tap ✅ Keep to run it unchanged. The current prompt, to copy:
    { $prompt }
button-keep = ✅ Keep
button-copy-prompt = 📋 Copy the prompt
button-cancel = ✖️ Cancel
flow-not-yours = This belongs to someone else's request.
flow-stale = This has expired. Please start again.

prompt-bad-parameter = ⚠️ The value of { $parameter } is not valid. Please check it and send the prompt again.

## Progress

status-queued = ⏳ Queued: { $prompt }
status-running = 🎨 Drawing: { $prompt }
    { $bar } { $percent }%
status-action-queued = ⏳ { $doing }: waiting for its turn…
status-action-running = 🎨 { $doing }…
    { $bar } { $percent }%
status-trouble = ⚠️ The image service is not answering right now. I keep trying; nothing is lost.
result-caption = { $prompt } — { $user }

# What a follow-up job is doing, in words, for its status message.
doing-imagine = Drawing
doing-upscale = Upscaling image { $index }
doing-variation = Making variations of image { $index }
doing-reroll = Drawing the grid again
doing-vary-strong = Varying the image strongly
doing-vary-subtle = Varying the image subtly
doing-vary-region = Repainting the chosen region
doing-zoom-out-2x = Zooming out 2x
doing-zoom-out-1-5x = Zooming out 1.5x
doing-zoom-custom = Zooming out
doing-make-square = Making the image square
doing-pan-left = Extending the image to the left
doing-pan-right = Extending the image to the right
doing-pan-up = Extending the image upwards
doing-pan-down = Extending the image downwards
doing-upscale-subtle = Upscaling subtly
doing-upscale-creative = Upscaling creatively
doing-upscale-2x = Upscaling 2x
doing-upscale-4x = Upscaling 4x
doing-redo-upscale-subtle = Redoing the subtle upscale
doing-redo-upscale-creative = Redoing the creative upscale
doing-redo-upscale-2x = Redoing the 2x upscale
doing-redo-upscale-4x = Redoing the 4x upscale
doing-animate-high = Animating the image (high motion)
doing-animate-low = Animating the image (low motion)
doing-extend-high = Making the video longer (high motion)
doing-extend-low = Making the video longer (low motion)
doing-describe = Describing the photo
doing-blend = Blending the photos
doing-other = Working on the image
result-caption-action = { $action } · { $prompt } — { $user }
result-caption-bare = { $action } — { $user }

## Failures (the job ended; tell the person what to do next)

error-auth = 🔑 The image service rejected the bot's credentials. Please tell the bot's owner; your request was not carried out.
error-balance = 💳 The bot's account with the image service has run out of credit. Please tell the bot's owner.
error-moderation = 🚫 The image service refused this prompt as against its content rules. Please rephrase it and try again.
error-invalid = ⚠️ The image service could not accept this request. Please check the prompt and its parameters and try again.
error-rate_limited = 🚦 The image service is busy right now. Please try again in a few minutes.
error-unavailable = 🛠️ The image service is not answering properly right now. Please try again later.
error-failed = ❌ The image service could not finish this image. Please try again, perhaps with a different prompt.
error-unsupported = 🙅 The image service this bot uses cannot do that.
error-timeout = ⌛ The image service took too long, so I stopped waiting. Please try again later.
error-unconfirmed = ⚠️ The bot restarted while sending this request, so I can't tell whether the image service got it. I won't send it twice; please try again if no image arrives.
error-unclear = ⚠️ The image service did not confirm this request. I won't send it again, so you aren't charged twice; if no image arrives in a few minutes, please try again.
error-internal = ⚠️ Something went wrong on my side with this request, so I stopped it. Please try again.
error-delivery = 📭 The image was ready but I couldn't post it here. Please try again.
error-reason = Reason: { $reason }

## Credits and payments

too-many-jobs = ⏳ { $limit ->
        [one] You already have an image in progress. Wait until it is done, then try again.
       *[other] You already have { $limit } images in progress. Wait until one is done, then try again.
    }
credits-short = 💳 Not enough credits: this costs { $cost }, and you have { $left }.
credits-free-back = Your { $daily } free credits come back in { $wait }.
credits-buy = Get more with /buy.
buy-nothing = 💳 Credits aren't for sale here.
buy-choose = ⭐ Choose a pack of credits to buy with Telegram Stars:
buy-pack = { $credits } credits for { $stars } ⭐
buy-gone = This pack is no longer on sale. Send /buy to see what is.
buy-done = ✅ Thank you! { $credits } credits added: you now have { $balance } bought credits.
invoice-title = { $credits } credits
invoice-description = { $credits } credits for drawing with Midjourney in this bot.
me-title = 💳 Your credits
me-free = 🎁 Free today: { $left } of { $daily } (they come back in { $wait })
me-free-unlimited = 🎁 Free: no limit
me-bought = ⭐ Bought: { $credits }
me-running = ⏳ In progress: { $count } of { $limit }
me-charges = Last charges:
me-charge = • { $action }: { $credits } — { $state }
charge-reserved = reserved
charge-spent = spent
charge-refunded = refunded
duration = { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h { $minutes } min
    }

## Admin

stats-today = 📊 Today (UTC)
stats-week = 📊 The last 7 days
stats-report =
    Jobs: { $statuses }
    By action: { $actions }
    Failures: { $failures }
    Credits spent: { $credits } · Stars received: { $stars } · People: { $people }
    Top spenders: { $top }
admin-ban-usage = Usage: /{ $command } <user id or @username>
admin-unknown-user = I don't know that person: use their numeric id, or the @username of someone who has used the bot.
admin-ban-admin = Admins can't be banned.
admin-banned = 🚫 User { $user } is banned.
admin-unbanned = ✅ User { $user } may use the bot again.
admin-grant-usage = Usage: /grant <user id or @username> <credits, 1 to { $most }>
admin-granted = ✅ { $credits } credits given to user { $user }: they now have { $balance } bought credits.
admin-refund-usage = Usage: /refund <telegram payment charge id>
admin-refund-unknown = I know no payment with that charge id.
admin-refund-done-before = This payment was already refunded.
admin-refund-failed = ⚠️ Telegram did not refund it: { $reason }
admin-refunded = ✅ Refunded { $stars } ⭐ to user { $user }; { $credits } credits taken back.

## Buttons

tap-not-yours = Only the person who asked for this image can use its buttons.
tap-stale = This button no longer works. Please start a new /imagine.
tap-started = ✅ { $action } started
tap-running = ⏳ { $action } is already in progress.
tap-done = ✅ { $action } was already done: see the image above.
tap-unsupported = 🙅 The image service this bot uses can't do { $action }.
tap-failed = ❌ Could not start { $action }.

button-upscale = U{ $index }
button-variation = V{ $index }
button-reroll = 🔄
button-vary-strong = 🪄 Vary (Strong)
button-vary-subtle = 🪄 Vary (Subtle)
button-vary-region = 🖌️ Vary (Region)
button-zoom-out-2x = 🔍 Zoom Out 2x
button-zoom-out-1-5x = 🔍 Zoom Out 1.5x
button-zoom-custom = 🔍 Custom Zoom
button-make-square = ↔️ Make Square
button-pan-left = ⬅️
button-pan-right = ➡️
button-pan-up = ⬆️
button-pan-down = ⬇️
button-upscale-subtle = Upscale (Subtle)
button-upscale-creative = Upscale (Creative)
button-upscale-2x = Upscale (2x)
button-upscale-4x = Upscale (4x)
button-redo-upscale-subtle = Redo Upscale (Subtle)
button-redo-upscale-creative = Redo Upscale (Creative)
button-redo-upscale-2x = Redo Upscale (2x)
button-redo-upscale-4x = Redo Upscale (4x)
button-animate-high = 🎬 Animate (High motion)
button-animate-low = 🎬 Animate (Low motion)
button-extend-high = 🎬 Extend (High motion)
button-extend-low = 🎬 Extend (Low motion)
button-imagine = { $index }️⃣
button-describe = 🔄
button-blend = 🧩 Blend
button-other = { $label }
button-full-size = ⬇️ Full size
full-size-sending = ⬇️ Sending the full-size file…
full-size-busy = ⬇️ The full-size file is already on its way.
full-size-failed = ⚠️ I couldn't get the full-size file right now. Please try again in a little while.

## History and sharing

history-title = 🗂️ Your images, newest first ({ $first }–{ $last }). Tap a number to post one here again, buttons and all:
history-line = { $number }. { $prompt }
history-line-action = { $number }. { $action } · { $prompt }
history-line-bare = { $number }. { $action }
history-describe = 🔎 Describe
history-empty = 🗂️ Nothing here yet. Send /imagine and a description to make your first image, for example: /imagine a red fox in the snow
history-previous = ◀️
history-next = ▶️
history-not-yours = This is someone else's history. Send /history to see yours.
history-stale = This image is no longer in your history.
history-posting = 📤 Posting it again…
history-failed = ⚠️ I couldn't post that image again. Please try again in a little while.
inline-nothing = 🎨 No images found. Tap here to draw one
