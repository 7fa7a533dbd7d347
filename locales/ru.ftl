## Команды

start =
    👋 Привет! Я рисую картинки с помощью Midjourney.

    Отправь /imagine и описание, например:
    /imagine a lighthouse in a storm, oil painting --ar 3:2

    Я пришлю сетку из четырёх картинок с кнопками: U1–U4 увеличивают одну из них, V1–V4 делают её вариации, 🔄 рисует сетку заново.
help =
    Как мной пользоваться:

    • /imagine <промпт> — нарисую четыре картинки.
    • В личном чате промптом считается любое текстовое сообщение.
    • В группе пиши /imagine или упомяни меня. Если отправить просто /imagine, я спрошу промпт — пришли его ответом на мой вопрос.
    • Параметры Midjourney работают как обычно: --ar 16:9, --v 6.1, --chaos 20, --no text, …
    • Под каждым результатом: U1–U4 увеличивают картинку, V1–V4 делают вариации, 🔄 рисует заново. Дальше появятся кнопки Vary, Zoom, Pan и Upscale, а ⬇️ Оригинал пришлёт исходный файл.
    • 🖌️ Vary (Region) покажет картинку с пронумерованными квадратами: отметь те, что нужно перерисовать, при желании ответь новым промптом и нажми ✅ Отправить. 🔍 Custom Zoom спросит промпт для отдалённой картинки. 🎬 Animate превратит картинку в короткое видео.
    • Фото с подписью — нарисую картинку, используя фото как образец (в альбоме — до 5 фото).
    • /describe с фото (в подписи к нему, ответом на него или отдельно, а потом фото) — предложу четыре промпта для него.
    • /blend с 2–5 фото (альбом с подписью /blend или сначала /blend, а потом фото) — смешаю их в одну картинку; добавь --ar 2:3 для вертикальной или --ar 3:2 для горизонтальной.
    • /settings — твои настройки по умолчанию: версия, соотношение сторон, скорость, Stylize, стиль Raw, Remix (перед вариациями я сначала спрошу промпт) и язык (/language).
    • /me — твои кредиты и на что они ушли; /buy — докупить кредиты за звёзды Telegram.
    • /history — твои прошлые картинки: любую можно снова отправить вместе с кнопками. Чтобы поделиться картинкой в любом чате, набери @{ $bot } и пару слов из её промпта.

    В группе кнопки под картинкой может нажимать только тот, кто её заказал; администраторы группы могут разрешить это всем через /settings.
unknown-command = 🤔 Не знаю такой команды: { $command }. Чтобы нарисовать картинку, отправь /imagine и описание; всё, что я умею, — в /help.
cannot-use = 🤷 С этим я ничего сделать не могу. Пришли описание того, что нарисовать, или /help, чтобы узнать, что я умею.
command-imagine = Нарисовать четыре картинки по промпту
command-help = Как пользоваться ботом
command-describe = Четыре промпта, описывающих фото
command-blend = Смешать 2–5 фото в одну картинку
command-settings = Твои настройки: версия, соотношение сторон, скорость, стиль
command-language = Выбрать язык бота
command-me = Твои кредиты и на что они ушли
command-buy = Купить кредиты за звёзды Telegram
command-history = Твои картинки — чтобы отправить снова
command-stats = Админ: статистика и деньги за сегодня и неделю
command-ban = Админ: закрыть человеку доступ к боту
command-unban = Админ: вернуть человеку доступ к боту
command-grant = Админ: начислить кредиты
command-refund = Админ: вернуть оплату звёздами
bot-description = Я рисую картинки с помощью Midjourney прямо в Telegram. Пришли описание — получишь четыре картинки, а дальше одним нажатием увеличивай их, делай вариации, отдаляй, сдвигай кадр, перерисовывай часть картинки или превращай её в видео. С фото тоже работаю: опишу их, смешаю или нарисую по ним новую картинку.
bot-short-description = Midjourney в Telegram: опиши, что хочешь, — и я нарисую.
banned = 🚫 Извини, тебе больше нельзя пользоваться этим ботом.
private-bot = 🔒 Извини, это закрытый бот.

## Настройки

settings-personal =
    ⚙️ Твои настройки. Они применяются к твоим промптам, если в самом промпте не указан тот же параметр.
    Версия: { $version }
    Соотношение сторон: { $aspect }
    Скорость: { $speed }
    Stylize: { $stylize }
    Стиль Raw: { $raw }
settings-default = по умолчанию
settings-on = вкл
settings-off = выкл
settings-speed-fast = ⚡ Fast
settings-speed-relax = 🐢 Relax
settings-speed-turbo = 🚀 Turbo
settings-stylize-off = 🎨 выкл
settings-raw = 📷 Raw
settings-remix = 🎛️ Remix
settings-remix-line = Remix: { $remix } (вариации, 🔄, Vary и Pan сначала спрашивают промпт)
settings-reset = ↩️ Сбросить
settings-not-yours = Это чужие настройки. Отправь /settings, чтобы открыть свои.
settings-owner = 👥 В этом чате кнопки под картинкой может нажимать только тот, кто её заказал.
settings-everyone = 👥 В этом чате кнопки под любой картинкой может нажимать кто угодно.
settings-set-everyone = Разрешить всем нажимать кнопки
settings-set-owner = Только автор запроса
settings-saved = ✅ Сохранено
settings-admins-only = Это могут менять только администраторы группы.
settings-language = 🌐 Язык
settings-language-line = Язык: { $language }
language-choose = 🌐 Выбери язык:
language-chosen = ✅ Теперь я буду говорить с тобой по-русски.

## Промпты

prompt-empty = ✍️ Напиши после команды, что нарисовать, например: /imagine a red fox in the snow
prompt-too-long = ✂️ Слишком длинный промпт. Пожалуйста, уложись в { $limit ->
        [one] { $limit } символ
        [few] { $limit } символа
       *[many] { $limit } символов
    }.
ask-prompt = ✍️ Что нарисовать? Ответь на это сообщение описанием, например: рыжая лиса в снегу
ask-prompt-placeholder = Рыжая лиса в снегу
photo-needs-caption = 🖼️ Чтобы рисовать по этому фото, пришли его ещё раз с подписью — что нарисовать.
album-too-many = 🖼️ В один промпт можно взять не больше { $limit } фото. Пожалуйста, пришли в альбоме не больше { $limit }.
image-prompt-needs-url = 🖼️ Этот бот пока не умеет передавать фото сервису изображений: его владельцу нужно настроить PUBLIC_URL. Пришли промпт текстом.
not-offered-describe = 🙅 Сервис изображений, с которым работает этот бот, не умеет описывать фото.
not-offered-blend = 🙅 Сервис изображений, с которым работает этот бот, не умеет смешивать фото.

## Описание и смешивание фото

describe-ask = 🔎 Пришли фото, которое нужно описать.
blend-ask = 🧩 Пришли фото для смешивания: от 2 до { $limit }, по одному или альбомом.
photo-placeholder = Прикрепи фото
describe-result = 🔎 Промпты для этого фото. Нажми на номер, чтобы нарисовать по нему:
describe-one-photo = 🔎 /describe работает с одним фото за раз: пришли его отдельно.
blend-collected = 🧩 { $count ->
        [one] Пока { $count } фотография, а нужно хотя бы две. Пришли ещё.
        [few] Пока { $count } фотографии. Пришли ещё (всего до { $limit }) или нажми ✅ Смешать.
        [many] Пока { $count } фотографий. Пришли ещё (всего до { $limit }) или нажми ✅ Смешать.
       *[other] Пока { $count } фотографии. Пришли ещё (всего до { $limit }) или нажми ✅ Смешать.
    }
blend-full = 🧩 { $count ->
        [one] { $count } фотография
        [few] { $count } фотографии
        [many] { $count } фотографий
       *[other] { $count } фотографии
    } — больше смешать нельзя. Нажми ✅ Смешать.
blend-too-many = 🧩 Смешать можно не больше { $limit } фото, поэтому это фото я пропустил.
blend-needs-photos = 🧩 Для смешивания нужно от 2 до { $limit } фото: пришли их альбомом с подписью /blend или сначала отправь /blend, а потом фото.
blend-bad-shape = 🧩 /blend принимает только формат: --ar 2:3 (вертикальный), --ar 1:1 (квадрат) или --ar 3:2 (горизонтальный).
blend-started = 🧩 Смешиваю { $count ->
        [one] { $count } фотографию
        [few] { $count } фотографии
        [many] { $count } фотографий
       *[other] { $count } фотографии
    }…
blend-cancelled = ✖️ Смешивание отменено.
button-go-blend = ✅ Смешать
region-opening = 🖌️ Выбери область для перерисовки
region-picker =
    🖌️ Отметь квадраты, которые нужно перерисовать, и нажми ✅ Отправить. Чтобы изменить промпт, ответь на это сообщение новым.

    Промпт: { $prompt }
region-needs-url = Этот бот пока не умеет передавать маску сервису изображений: его владельцу нужно настроить PUBLIC_URL.
region-empty = Сначала отметь хотя бы один квадрат.
region-started = 🖌️ Перерисовываю…
region-submitted = 🖌️ Перерисовываю квадраты { $cells }.
region-failed = ⚠️ Не получилось загрузить картинку, чтобы нанести на неё сетку. Попробуй ещё раз чуть позже.
button-submit = ✅ Отправить
zoom-ask =
    🔍 Ответь на это сообщение промптом для отдалённой картинки с --zoom от 1 до 2 (если не укажешь, я добавлю --zoom 2). Текущий промпт, чтобы скопировать:
    { $prompt }
zoom-placeholder = Промпт, например с --zoom 1.5
remix-ask =
    🎛️ Remix: ответь на это сообщение промптом для { $action } или нажми ✅ Без изменений, чтобы запустить как есть. Текущий промпт, чтобы скопировать:
    { $prompt }
button-keep = ✅ Без изменений
button-copy-prompt = 📋 Скопировать промпт
button-cancel = ✖️ Отмена
flow-not-yours = Это относится к чужому запросу.
flow-stale = Время вышло. Начни, пожалуйста, заново.

prompt-bad-parameter = ⚠️ У параметра { $parameter } недопустимое значение. Проверь его и отправь промпт ещё раз.

## Ход работы

status-queued = ⏳ В очереди: { $prompt }
status-running = 🎨 Рисую: { $prompt }
    { $bar } { $percent }%
status-action-queued = ⏳ { $doing }: в очереди…
status-action-running = 🎨 { $doing }…
    { $bar } { $percent }%
status-trouble = ⚠️ Сервис изображений сейчас не отвечает. Я продолжаю попытки, ничего не потеряется.
result-caption = { $prompt } — { $user }

# Что делает задача по кнопке — словами, для сообщения о ходе работы.
doing-imagine = Генерация
doing-upscale = Увеличение картинки { $index }
doing-variation = Вариации картинки { $index }
doing-reroll = Перерисовка сетки
doing-vary-strong = Сильная вариация картинки
doing-vary-subtle = Лёгкая вариация картинки
doing-vary-region = Перерисовка выбранной области
doing-zoom-out-2x = Отдаление в 2 раза
doing-zoom-out-1-5x = Отдаление в 1,5 раза
doing-zoom-custom = Отдаление
doing-make-square = Расширение картинки до квадрата
doing-pan-left = Расширение картинки влево
doing-pan-right = Расширение картинки вправо
doing-pan-up = Расширение картинки вверх
doing-pan-down = Расширение картинки вниз
doing-upscale-subtle = Увеличение с минимальными изменениями
doing-upscale-creative = Увеличение с творческой доработкой
doing-upscale-2x = Увеличение в 2 раза
doing-upscale-4x = Увеличение в 4 раза
doing-redo-upscale-subtle = Повторное увеличение с минимальными изменениями
doing-redo-upscale-creative = Повторное увеличение с творческой доработкой
doing-redo-upscale-2x = Повторное увеличение в 2 раза
doing-redo-upscale-4x = Повторное увеличение в 4 раза
doing-animate-high = Анимация картинки (много движения)
doing-animate-low = Анимация картинки (мало движения)
doing-extend-high = Удлинение видео (много движения)
doing-extend-low = Удлинение видео (мало движения)
doing-describe = Описание фото
doing-blend = Смешивание фото
doing-other = Работа над картинкой
result-caption-action = { $action } · { $prompt } — { $user }
result-caption-bare = { $action } — { $user }

## Ошибки (задача завершилась; подсказываем, что делать дальше)

error-auth = 🔑 Сервис изображений не принял учётные данные бота. Сообщи, пожалуйста, владельцу бота; твой запрос не выполнен.
error-balance = 💳 На счёте бота в сервисе изображений закончились средства. Сообщи, пожалуйста, владельцу бота.
error-moderation = 🚫 Сервис изображений отклонил этот промпт: он нарушает правила о контенте. Переформулируй его и попробуй ещё раз.
error-invalid = ⚠️ Сервис изображений не смог принять этот запрос. Проверь промпт и параметры и попробуй ещё раз.
error-rate_limited = 🚦 Сервис изображений сейчас перегружен. Попробуй ещё раз через несколько минут.
error-unavailable = 🛠️ Сервис изображений сейчас работает с перебоями. Попробуй ещё раз позже.
error-failed = ❌ Сервис изображений не смог дорисовать эту картинку. Попробуй ещё раз — может быть, с другим промптом.
error-unsupported = 🙅 Сервис изображений, с которым работает этот бот, так не умеет.
error-timeout = ⌛ Сервис изображений слишком долго не отвечал, и я перестал ждать. Попробуй ещё раз позже.
error-unconfirmed = ⚠️ Бот перезапустился, пока отправлял этот запрос, и я не знаю, дошёл ли он до сервиса изображений. Повторно я его не отправлю; если картинка так и не придёт, попробуй ещё раз.
error-unclear = ⚠️ Сервис изображений не подтвердил этот запрос. Повторно я его отправлять не буду, чтобы с тебя не списали дважды; если через несколько минут картинки не будет, попробуй ещё раз.
error-internal = ⚠️ У меня что-то пошло не так с этим запросом, поэтому я его остановил. Попробуй ещё раз.
error-delivery = 📭 Картинка готова, но я не смог её сюда отправить. Попробуй ещё раз.
error-reason = Причина: { $reason }

## Кредиты и оплата

too-many-jobs = ⏳ { $limit ->
        [1] У тебя уже рисуется картинка. Дождись, пока она будет готова, и попробуй снова.
        [one] У тебя уже в работе { $limit } картинка. Дождись, пока одна из них будет готова, и попробуй снова.
        [few] У тебя уже в работе { $limit } картинки. Дождись, пока одна из них будет готова, и попробуй снова.
       *[many] У тебя уже в работе { $limit } картинок. Дождись, пока одна из них будет готова, и попробуй снова.
    }
credits-short = 💳 Не хватает кредитов: нужно { $cost }, а у тебя { $left }.
credits-free-back = { $daily ->
        [one] { $daily } бесплатный кредит вернётся
        [few] { $daily } бесплатных кредита вернутся
       *[many] { $daily } бесплатных кредитов вернутся
    } через { $wait }.
credits-buy = Ещё кредиты можно купить командой /buy.
buy-nothing = 💳 Здесь кредиты не продаются.
buy-choose = ⭐ Выбери пакет кредитов — оплата звёздами Telegram:
buy-pack = { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
       *[many] { $credits } кредитов
    } за { $stars } ⭐
buy-gone = Этот пакет больше не продаётся. Отправь /buy, чтобы посмотреть, что есть сейчас.
buy-done = ✅ Спасибо! { $credits ->
        [one] Начислен { $credits } кредит
        [few] Начислено { $credits } кредита
       *[many] Начислено { $credits } кредитов
    }. Купленных кредитов у тебя теперь: { $balance }.
invoice-title = { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
       *[many] { $credits } кредитов
    }
invoice-description = { $credits ->
        [one] { $credits } кредит
        [few] { $credits } кредита
       *[many] { $credits } кредитов
    }, чтобы рисовать с Midjourney в этом боте.
me-title = 💳 Твои кредиты
me-free = 🎁 Бесплатных сегодня: { $left } из { $daily } (обновятся через { $wait })
me-free-unlimited = 🎁 Бесплатных: без ограничений
me-bought = ⭐ Купленных: { $credits }
me-running = ⏳ В работе: { $count } из { $limit }
me-charges = Последние списания:
me-charge = • { $action }: { $credits } — { $state }
charge-reserved = в резерве
charge-spent = списано
charge-refunded = возвращено
duration = { $hours ->
        [0] { $minutes } мин
       *[other] { $hours } ч { $minutes } мин
    }

## Администрирование

stats-today = 📊 Сегодня (UTC)
stats-week = 📊 Последние 7 дней
stats-report =
    Задачи: { $statuses }
    По действиям: { $actions }
    Ошибки: { $failures }
    Потрачено кредитов: { $credits } · Получено звёзд: { $stars } · Пользователей: { $people }
    Больше всех потратили: { $top }
admin-ban-usage = Формат: /{ $command } <id пользователя или @username>
admin-unknown-user = Не знаю такого человека: укажи его числовой id или @username того, кто уже пользовался ботом.
admin-ban-admin = Админов забанить нельзя.
admin-banned = 🚫 Пользователь { $user } заблокирован.
admin-unbanned = ✅ Пользователь { $user } снова может пользоваться ботом.
admin-grant-usage = Формат: /grant <id пользователя или @username> <кредиты, от 1 до { $most }>
admin-granted = ✅ Пользователю { $user } { $credits ->
        [one] начислен { $credits } кредит
        [few] начислено { $credits } кредита
       *[many] начислено { $credits } кредитов
    }. Купленных кредитов у него теперь: { $balance }.
admin-refund-usage = Формат: /refund <charge id платежа в Telegram>
admin-refund-unknown = Не знаю платежа с таким charge id.
admin-refund-done-before = Этот платёж уже был возвращён.
admin-refund-failed = ⚠️ Telegram не вернул платёж: { $reason }
admin-refunded = ✅ Пользователю { $user } возвращено { $stars } ⭐, { $credits ->
        [one] списан { $credits } кредит
        [few] списано { $credits } кредита
       *[many] списано { $credits } кредитов
    }.

## Кнопки

tap-not-yours = Кнопки под этой картинкой может нажимать только тот, кто её заказал.
tap-stale = Эта кнопка больше не работает. Начни заново с /imagine.
tap-started = ✅ Запускаю { $action }
tap-running = ⏳ { $action } уже выполняется.
tap-done = ✅ { $action } — уже готово, смотри картинку выше.
tap-unsupported = 🙅 Сервис изображений, с которым работает этот бот, не поддерживает { $action }.
tap-failed = ❌ Не удалось запустить { $action }.

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
button-blend = 🧩 Смешивание
button-other = { $label }
button-full-size = ⬇️ Оригинал
full-size-sending = ⬇️ Отправляю файл в полном размере…
full-size-busy = ⬇️ Файл в полном размере уже в пути.
full-size-failed = ⚠️ Сейчас не получилось получить файл в полном размере. Попробуй ещё раз чуть позже.

## История и отправка в другие чаты

history-title = 🗂️ Твои картинки, сначала новые ({ $first }–{ $last }). Нажми на номер, чтобы снова отправить картинку сюда — вместе с кнопками:
history-line = { $number }. { $prompt }
history-line-action = { $number }. { $action } · { $prompt }
history-line-bare = { $number }. { $action }
history-describe = 🔎 Описание
history-empty = 🗂️ Здесь пока пусто. Отправь /imagine и описание, чтобы создать первую картинку, например: /imagine a red fox in the snow
history-previous = ◀️
history-next = ▶️
history-not-yours = Это чужая история. Отправь /history, чтобы открыть свою.
history-stale = Этой картинки больше нет в твоей истории.
history-posting = 📤 Отправляю ещё раз…
history-failed = ⚠️ Не получилось отправить эту картинку ещё раз. Попробуй чуть позже.
inline-nothing = 🎨 Картинок не найдено. Нажми, чтобы нарисовать
