## 命令

start =
    👋 你好！我可以用 Midjourney 帮你画图。

    发送 /imagine 加上画面描述，例如：
    /imagine a lighthouse in a storm, oil painting --ar 3:2

    我会发回一张四宫格图片并附上按钮：U1–U4 高清放大其中一张，V1–V4 以其中一张为基础生成变体，🔄 重新生成四宫格。
help =
    使用方法：

    • /imagine <提示词> —— 生成四张图片。
    • 在私聊中，直接发送任何文字也会被当作提示词。
    • 在群组中，请使用 /imagine 或 @ 我。只发 /imagine 时我会询问提示词：回复我的提问即可。
    • Midjourney 参数照常可用：--ar 16:9、--v 6.1、--chaos 20、--no text 等。
    • 每个结果下方：U1–U4 高清放大，V1–V4 生成变体，🔄 重新生成。之后的结果还有变化、缩放、平移和高清放大按钮，⬇️ 原图 会发送原始文件。
    • 🖌️ 局部重绘 会在图片上显示编号方格：点选要重绘的方格，想换提示词就回复新的，然后点 ✅ 提交。🔍 自定义缩放 会询问缩小后画面的提示词。🎬 生成视频 会把图片做成一段短视频。
    • 发送带文字说明的照片，会把照片作为图片提示来绘制（相册最多 5 张）。
    • /describe 配一张照片（写在照片的说明里、回复照片，或先发命令再发照片），我会为它推荐四条提示词。
    • /blend 配 2–5 张照片（相册说明写 /blend，或先发 /blend 再发照片），把它们混合成一张图；加上 --ar 2:3 或 --ar 3:2 可生成竖图或横图。
    • /settings —— 你的默认设置：版本、宽高比、速度、风格化、Raw 风格、Remix（生成变体前先询问提示词）以及语言（/language）。
    • /me —— 查看你的积分和消费记录；/buy —— 用 Telegram Stars 购买更多积分。
    • /history —— 你以前画的图片，可以连同按钮再发一次。想在任意聊天里分享，输入 @{ $bot } 加上提示词里的几个词即可。

    在群组中，只有发起请求的人才能点击图片下的按钮；群管理员可以通过 /settings 允许所有人点击。
unknown-command = 🤔 我不认识 { $command }。想画图就发送 /imagine 加描述；发送 /help 查看我的全部功能。
cannot-use = 🤷 这个我用不了。告诉我你想画什么，或发送 /help 查看我的全部功能。
command-imagine = 根据提示词生成四张图片
command-help = 机器人使用说明
command-describe = 为照片生成四条描述提示词
command-blend = 把 2–5 张照片混合成一张图
command-settings = 你的默认设置：版本、宽高比、速度、风格
command-language = 选择机器人的语言
command-me = 你的积分和消费记录
command-buy = 用 Telegram Stars 购买积分
command-history = 你的图片，可以再发一次
command-stats = 管理员：今天和本周的使用量与收入
command-ban = 管理员：禁止某人使用机器人
command-unban = 管理员：允许某人重新使用机器人
command-grant = 管理员：给某人发放积分
command-refund = 管理员：退还一笔 Stars 付款
bot-description = 我用 Midjourney 帮你画图，就在 Telegram 里。发给我一段描述，就能收到四张图片，然后一键高清放大、生成变体、缩放、平移、局部重绘，或者做成视频。照片也可以用：描述照片、混合照片，或者把照片当作提示来画图。
bot-short-description = Telegram 里的 Midjourney：你来描述，我来画。
banned = 🚫 抱歉，你已经不能再使用这个机器人了。
private-bot = 🔒 抱歉，这是一个私人机器人。

## 设置

settings-personal =
    ⚙️ 你的设置。提示词里没有自己指定的参数，都会按这里的设置来。
    版本：{ $version }
    宽高比：{ $aspect }
    速度：{ $speed }
    风格化：{ $stylize }
    Raw 风格：{ $raw }
settings-default = 默认
settings-on = 开启
settings-off = 关闭
settings-speed-fast = ⚡ 快速
settings-speed-relax = 🐢 慢速
settings-speed-turbo = 🚀 极速
settings-stylize-off = 🎨 关闭
settings-raw = 📷 Raw
settings-remix = 🎛️ Remix
settings-remix-line = Remix：{ $remix }（生成变体、🔄、变化和平移前会先询问提示词）
settings-reset = ↩️ 重置
settings-not-yours = 这是别人的设置。发送 /settings 查看你自己的。
settings-owner = 👥 在这个聊天中，只有发起请求的人才能点击图片下的按钮。
settings-everyone = 👥 在这个聊天中，所有人都能点击每张图片下的按钮。
settings-set-everyone = 允许所有人点击按钮
settings-set-owner = 仅限发起请求的人
settings-saved = ✅ 已保存
settings-admins-only = 只有群管理员才能修改这项设置。
settings-language = 🌐 语言
settings-language-line = 语言：{ $language }
language-choose = 🌐 请选择语言：
language-chosen = ✅ 好的，从现在起我会用中文和你交流。

## 提示词

prompt-empty = ✍️ 请在命令后写上要画的内容，例如：/imagine a red fox in the snow
prompt-too-long = ✂️ 提示词太长了，请控制在 { $limit } 个字符以内。
ask-prompt = ✍️ 想让我画什么？回复这条消息写下描述即可，例如：雪地里的一只红狐狸
ask-prompt-placeholder = 雪地里的一只红狐狸
photo-needs-caption = 🖼️ 想用这张照片画图的话，请重新发送，并在说明里写上要画什么。
album-too-many = 🖼️ 一条提示词最多使用 { $limit } 张照片，请在一个相册里最多发送 { $limit } 张。
image-prompt-needs-url = 🖼️ 这个机器人暂时还不能把照片交给图像服务：需要运营者先设置 PUBLIC_URL。请改用文字发送提示词。
not-offered-describe = 🙅 这个机器人使用的图像服务不支持描述照片。
not-offered-blend = 🙅 这个机器人使用的图像服务不支持混合照片。

## 描述与混合

describe-ask = 🔎 请发送要描述的照片。
blend-ask = 🧩 请发送要混合的照片：2 到 { $limit } 张，可以逐张发送，也可以作为相册发送。
photo-placeholder = 添加一张照片
describe-result = 🔎 这张照片的提示词如下，点数字即可用它画图：
describe-one-photo = 🔎 /describe 一次只能处理一张照片，请单独发送。
blend-collected = 🧩 { $count ->
        [1] 已收到 1 张照片，请至少再发 1 张。
       *[other] 已收到 { $count } 张照片。可以继续发送（最多 { $limit } 张），或点 ✅ 开始混合。
    }
blend-full = 🧩 已收到 { $count } 张照片，已达混合上限。请点 ✅ 开始混合。
blend-too-many = 🧩 混合最多使用 { $limit } 张照片，这张我就不加了。
blend-needs-photos = 🧩 混合需要 2 到 { $limit } 张照片：以相册形式发送并在说明里写 /blend，或先发 /blend 再发照片。
blend-bad-shape = 🧩 /blend 只接受画面比例参数：--ar 2:3（竖图）、--ar 1:1（方图）或 --ar 3:2（横图）。
blend-started = 🧩 正在混合 { $count } 张照片…
blend-cancelled = ✖️ 已取消混合。
button-go-blend = ✅ 开始混合
region-opening = 🖌️ 选择要重绘的区域
region-picker =
    🖌️ 点选要重绘的方格，然后点 ✅ 提交。想修改提示词，就回复这条消息写上新的。

    提示词：{ $prompt }
region-needs-url = 这个机器人暂时还不能把蒙版交给图像服务：需要运营者先设置 PUBLIC_URL。
region-empty = 请先至少选择一个要重绘的方格。
region-started = 🖌️ 正在重绘…
region-submitted = 🖌️ 正在重绘方格 { $cells }。
region-failed = ⚠️ 没能取到这张图片来画方格，请稍后再试。
button-submit = ✅ 提交
zoom-ask =
    🔍 请回复这条消息，写上缩小后画面的提示词，并带上 1 到 2 之间的 --zoom（不写的话我会加上 --zoom 2）。当前提示词如下，可直接复制：
    { $prompt }
zoom-placeholder = 提示词，例如带上 --zoom 1.5
remix-ask =
    🎛️ Remix：请回复这条消息，写上用于「{ $action }」的提示词，或点 ✅ 保持不变 直接运行。当前提示词如下，可直接复制：
    { $prompt }
button-keep = ✅ 保持不变
button-copy-prompt = 📋 复制提示词
button-cancel = ✖️ 取消
flow-not-yours = 这是别人的请求。
flow-stale = 已过期，请重新开始。

prompt-bad-parameter = ⚠️ { $parameter } 的值无效，请检查后重新发送提示词。

## 进度

status-queued = ⏳ 排队中：{ $prompt }
status-running = 🎨 绘制中：{ $prompt }
    { $bar } { $percent }%
status-action-queued = ⏳ { $doing }：排队等待中…
status-action-running = 🎨 正在{ $doing }…
    { $bar } { $percent }%
status-trouble = ⚠️ 图像服务暂时没有响应。我会继续尝试，你的请求不会丢失。
result-caption = { $prompt } — { $user }

# 后续任务正在做什么，用于它的状态消息。
doing-imagine = 绘制
doing-upscale = 高清放大第 { $index } 张图
doing-variation = 为第 { $index } 张图生成变体
doing-reroll = 重新生成四宫格
doing-vary-strong = 对图片进行强烈变化
doing-vary-subtle = 对图片进行细微变化
doing-vary-region = 重绘所选区域
doing-zoom-out-2x = 缩小2倍
doing-zoom-out-1-5x = 缩小1.5倍
doing-zoom-custom = 缩小画面
doing-make-square = 把图片变为方形
doing-pan-left = 向左扩展图片
doing-pan-right = 向右扩展图片
doing-pan-up = 向上扩展图片
doing-pan-down = 向下扩展图片
doing-upscale-subtle = 高清放大（细微）
doing-upscale-creative = 高清放大（创意）
doing-upscale-2x = 高清放大（2倍）
doing-upscale-4x = 高清放大（4倍）
doing-redo-upscale-subtle = 重新高清放大（细微）
doing-redo-upscale-creative = 重新高清放大（创意）
doing-redo-upscale-2x = 重新高清放大（2倍）
doing-redo-upscale-4x = 重新高清放大（4倍）
doing-animate-high = 把图片做成视频（高动态）
doing-animate-low = 把图片做成视频（低动态）
doing-extend-high = 延长视频（高动态）
doing-extend-low = 延长视频（低动态）
doing-describe = 分析照片
doing-blend = 混合照片
doing-other = 处理图片
result-caption-action = { $action } · { $prompt } — { $user }
result-caption-bare = { $action } — { $user }

## 失败（任务已结束；告诉对方接下来怎么做）

error-auth = 🔑 图像服务拒绝了机器人的凭据。请告知机器人的管理者；你的请求没有执行。
error-balance = 💳 机器人在图像服务上的账户余额已用完。请告知机器人的管理者。
error-moderation = 🚫 图像服务认为这条提示词违反了内容规则，拒绝生成。请换个说法再试。
error-invalid = ⚠️ 图像服务无法接受这个请求。请检查提示词和参数后再试。
error-rate_limited = 🚦 图像服务现在太忙了，请过几分钟再试。
error-unavailable = 🛠️ 图像服务现在响应异常，请稍后再试。
error-failed = ❌ 图像服务没能完成这张图片。请再试一次，也可以换个提示词。
error-unsupported = 🙅 这个机器人使用的图像服务做不到这一点。
error-timeout = ⌛ 图像服务响应太慢，我已停止等待。请稍后再试。
error-unconfirmed = ⚠️ 发送这个请求时机器人重启了，我无法确定图像服务是否收到。我不会重复发送；如果一直没有图片，请重试。
error-unclear = ⚠️ 图像服务没有确认这个请求。为避免重复扣费，我不会再次发送；如果几分钟后还没有图片，请重试。
error-internal = ⚠️ 我这边处理这个请求时出了问题，已将它停止。请重试。
error-delivery = 📭 图片已经生成，但我没能发到这里。请重试。
error-reason = 原因：{ $reason }

## 积分与付款

too-many-jobs = ⏳ { $limit ->
        [1] 你已经有一张图片正在生成，等它完成后再试吧。
       *[other] 你已经有 { $limit } 张图片正在生成，等其中一张完成后再试吧。
    }
credits-short = 💳 积分不足：这次需要 { $cost } 积分，你还剩 { $left } 积分。
credits-free-back = 你的 { $daily } 个免费积分将在 { $wait } 后恢复。
credits-buy = 发送 /buy 可以购买更多积分。
buy-nothing = 💳 这里不出售积分。
buy-choose = ⭐ 选择一个积分套餐，用 Telegram Stars 购买：
buy-pack = { $credits } 积分 — { $stars } ⭐
buy-gone = 这个套餐已经下架了。发送 /buy 查看现在在售的套餐。
buy-done = ✅ 谢谢支持！{ $credits } 积分已到账，你现在共有 { $balance } 个已购积分。
invoice-title = { $credits } 积分
invoice-description = { $credits } 积分，用于在这个机器人里用 Midjourney 画图。
me-title = 💳 你的积分
me-free = 🎁 今日免费：剩余 { $left } / { $daily }（{ $wait } 后恢复）
me-free-unlimited = 🎁 免费：不限量
me-bought = ⭐ 已购积分：{ $credits }
me-running = ⏳ 进行中：{ $count } / { $limit }
me-charges = 最近的扣费：
me-charge = • { $action }：{ $credits } 积分 — { $state }
charge-reserved = 已预扣
charge-spent = 已扣除
charge-refunded = 已退还
duration = { $hours ->
        [0] { $minutes } 分钟
       *[other] { $hours } 小时 { $minutes } 分钟
    }

## 管理

stats-today = 📊 今天（UTC）
stats-week = 📊 最近 7 天
stats-report =
    任务：{ $statuses }
    按操作：{ $actions }
    失败：{ $failures }
    消耗积分：{ $credits } · 收到 Stars：{ $stars } · 用户数：{ $people }
    消费最多：{ $top }
admin-ban-usage = 用法：/{ $command } <用户 ID 或 @用户名>
admin-unknown-user = 我不认识这个人：请使用对方的数字 ID，或者用过这个机器人的人的 @用户名。
admin-ban-admin = 管理员不能被封禁。
admin-banned = 🚫 已封禁用户 { $user }。
admin-unbanned = ✅ 用户 { $user } 可以重新使用机器人了。
admin-grant-usage = 用法：/grant <用户 ID 或 @用户名> <积分，1 到 { $most }>
admin-granted = ✅ 已给用户 { $user } 发放 { $credits } 积分：对方现在共有 { $balance } 个已购积分。
admin-refund-usage = 用法：/refund <Telegram 付款的 charge id>
admin-refund-unknown = 找不到这个 charge id 对应的付款。
admin-refund-done-before = 这笔付款已经退过款了。
admin-refund-failed = ⚠️ Telegram 没有完成退款：{ $reason }
admin-refunded = ✅ 已向用户 { $user } 退还 { $stars } ⭐，并收回 { $credits } 积分。

## 按钮

tap-not-yours = 只有发起请求的人才能使用这张图片的按钮。
tap-stale = 这个按钮已失效，请重新发送 /imagine。
tap-started = ✅ { $action } 已开始
tap-running = ⏳ { $action } 正在进行中。
tap-done = ✅ { $action } 已经完成过了：请看上面的图片。
tap-unsupported = 🙅 这个机器人使用的图像服务不支持 { $action }。
tap-failed = ❌ 无法开始 { $action }。

button-upscale = U{ $index }
button-variation = V{ $index }
button-reroll = 🔄
button-vary-strong = 🪄 强烈变化
button-vary-subtle = 🪄 细微变化
button-vary-region = 🖌️ 局部重绘
button-zoom-out-2x = 🔍 缩小2倍
button-zoom-out-1-5x = 🔍 缩小1.5倍
button-zoom-custom = 🔍 自定义缩放
button-make-square = ↔️ 变为方形
button-pan-left = ⬅️
button-pan-right = ➡️
button-pan-up = ⬆️
button-pan-down = ⬇️
button-upscale-subtle = 高清放大（细微）
button-upscale-creative = 高清放大（创意）
button-upscale-2x = 高清放大（2倍）
button-upscale-4x = 高清放大（4倍）
button-redo-upscale-subtle = 重新高清放大（细微）
button-redo-upscale-creative = 重新高清放大（创意）
button-redo-upscale-2x = 重新高清放大（2倍）
button-redo-upscale-4x = 重新高清放大（4倍）
button-animate-high = 🎬 生成视频（高动态）
button-animate-low = 🎬 生成视频（低动态）
button-extend-high = 🎬 延长视频（高动态）
button-extend-low = 🎬 延长视频（低动态）
button-imagine = { $index }️⃣
button-describe = 🔄
button-blend = 🧩 混合
button-other = { $label }
button-full-size = ⬇️ 原图
full-size-sending = ⬇️ 正在发送原图文件…
full-size-busy = ⬇️ 原图文件已经在发送中了。
full-size-failed = ⚠️ 暂时没能获取原图文件，请稍后再试。

## 历史记录与分享

history-title = 🗂️ 你的图片，最新的在前（{ $first }–{ $last }）。点数字就能把它连同按钮再发到这里：
history-line = { $number }. { $prompt }
history-line-action = { $number }. { $action } · { $prompt }
history-line-bare = { $number }. { $action }
history-describe = 🔎 描述
history-empty = 🗂️ 这里还什么都没有。发送 /imagine 加上描述，画出你的第一张图片吧，例如：/imagine a red fox in the snow
history-previous = ◀️
history-next = ▶️
history-not-yours = 这是别人的历史记录。发送 /history 查看你自己的。
history-stale = 这张图片已经不在你的历史记录里了。
history-posting = 📤 正在重新发送…
history-failed = ⚠️ 没能重新发送这张图片，请稍后再试。
inline-nothing = 🎨 没有找到图片，点这里画一张
