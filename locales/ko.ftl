## 명령어

start =
    👋 안녕하세요! Midjourney로 그림을 그려 드려요.

    /imagine 뒤에 원하는 그림을 설명해서 보내 주세요. 예를 들면:
    /imagine a lighthouse in a storm, oil painting --ar 3:2

    이미지 네 장이 담긴 그리드를 버튼과 함께 보내 드려요. U1–U4는 한 장을 업스케일하고, V1–V4는 그 이미지의 변형을 만들고, 🔄는 그리드를 다시 그려요.
help =
    사용 방법:

    • /imagine <프롬프트> — 이미지 네 장을 그려요.
    • 개인 채팅에서는 어떤 텍스트 메시지를 보내도 프롬프트로 받아요.
    • 그룹에서는 /imagine을 쓰거나 저를 멘션해 주세요. /imagine만 보내면 프롬프트를 물어볼게요. 제 질문에 답장으로 보내 주시면 돼요.
    • Midjourney 파라미터도 평소처럼 쓸 수 있어요: --ar 16:9, --v 6.1, --chaos 20, --no text, …
    • 결과 아래 버튼: U1–U4는 업스케일, V1–V4는 변형, 🔄는 다시 그리기예요. 이후 결과에는 Vary, Zoom, Pan, Upscale 버튼이 나오고, ⬇️ 원본 크기를 누르면 원본 파일을 보내 드려요.
    • 🖌️ Vary (Region)을 누르면 번호가 적힌 칸이 있는 이미지가 나와요. 다시 그릴 칸을 누르고, 원하면 새 프롬프트를 답장으로 보낸 뒤 ✅ 제출을 눌러 주세요. 🔍 Custom Zoom은 줌아웃한 이미지의 프롬프트를 물어봐요. 🎬 Animate는 이미지를 짧은 영상으로 만들어요.
    • 캡션을 단 사진을 보내면 그 사진을 이미지 프롬프트로 써서 그려요(앨범은 최대 5장).
    • /describe와 사진 한 장(사진 캡션으로 쓰거나, 사진에 답장하거나, /describe를 먼저 보낸 뒤 사진)을 보내면 어울리는 프롬프트 네 개를 추천해 드려요.
    • /blend와 사진 2–5장(캡션이 /blend인 앨범, 또는 /blend를 먼저 보낸 뒤 사진)을 보내면 한 장으로 합쳐 드려요. 세로로 받으려면 --ar 2:3, 가로로 받으려면 --ar 3:2를 붙여 주세요.
    • /settings — 내 기본 설정: 버전, 화면 비율, 속도, Stylize, Raw 스타일, Remix(변형 전에 프롬프트를 먼저 물어봐요), 언어(/language).
    • /me — 내 크레딧과 사용 내역을 보여 줘요. /buy — Telegram Stars로 크레딧을 더 살 수 있어요.
    • /history — 지난 이미지를 버튼까지 그대로 다시 올려 드려요. 아무 채팅에서나 공유하려면 @{ $bot } 뒤에 프롬프트 몇 단어를 입력해 보세요.

    그룹에서는 이미지를 요청한 사람만 그 이미지의 버튼을 누를 수 있어요. 그룹 관리자는 /settings에서 모두가 누를 수 있게 바꿀 수 있어요.
unknown-command = 🤔 { $command } 명령어는 잘 모르겠어요. 그림을 그리려면 /imagine과 함께 설명을 보내 주세요. 제가 할 수 있는 건 /help에서 모두 볼 수 있어요.
cannot-use = 🤷 이건 제가 쓸 수 없어요. 그릴 내용을 설명해서 보내 주시거나, /help로 제가 할 수 있는 걸 확인해 보세요.
command-imagine = 프롬프트로 이미지 네 장 그리기
command-help = 봇 사용 방법
command-describe = 사진을 설명하는 프롬프트 네 개 받기
command-blend = 사진 2–5장을 한 장으로 합치기
command-settings = 내 기본 설정: 버전, 화면 비율, 속도, 스타일
command-language = 봇 언어 선택
command-me = 내 크레딧과 사용 내역
command-buy = Telegram Stars로 크레딧 구매
command-history = 내 이미지 다시 올리기
command-stats = 관리자: 오늘과 이번 주 사용량과 수익
command-ban = 관리자: 사용자 차단
command-unban = 관리자: 사용자 차단 해제
command-grant = 관리자: 사용자에게 크레딧 지급
command-refund = 관리자: Stars 결제 환불
bot-description = 텔레그램에서 바로 Midjourney로 그림을 그려 드려요. 원하는 그림을 설명해서 보내면 이미지 네 장을 받을 수 있고, 탭 한 번으로 업스케일, 변형, 줌아웃, 화면 확장, 부분 다시 그리기, 영상 만들기까지 할 수 있어요. 사진도 돼요: 사진을 설명하거나, 여러 장을 블렌드하거나, 이미지 프롬프트로 써서 그릴 수 있어요.
bot-short-description = 텔레그램 속 Midjourney: 설명만 하면 제가 그려 드려요.
banned = 🚫 죄송해요, 이제 이 봇을 사용할 수 없어요.
private-bot = 🔒 죄송해요, 이 봇은 비공개예요.

## 설정

settings-personal =
    ⚙️ 내 설정이에요. 프롬프트에 같은 파라미터를 직접 넣지 않으면 이 설정이 적용돼요.
    버전: { $version }
    화면 비율: { $aspect }
    속도: { $speed }
    Stylize: { $stylize }
    Raw 스타일: { $raw }
settings-default = 기본값
settings-on = 켜짐
settings-off = 꺼짐
settings-speed-fast = ⚡ Fast
settings-speed-relax = 🐢 Relax
settings-speed-turbo = 🚀 Turbo
settings-stylize-off = 🎨 끔
settings-raw = 📷 Raw
settings-remix = 🎛️ Remix
settings-remix-line = Remix: { $remix } (변형, 🔄, Vary, Pan 전에 프롬프트를 먼저 물어봐요)
settings-reset = ↩️ 초기화
settings-not-yours = 다른 사람의 설정이에요. 내 설정은 /settings로 확인해 주세요.
settings-owner = 👥 이 채팅에서는 이미지를 요청한 사람만 그 이미지의 버튼을 누를 수 있어요.
settings-everyone = 👥 이 채팅에서는 누구나 모든 이미지의 버튼을 누를 수 있어요.
settings-set-everyone = 모두가 버튼을 누를 수 있게 하기
settings-set-owner = 요청한 사람만 누를 수 있게 하기
settings-saved = ✅ 저장했어요
settings-admins-only = 그룹 관리자만 바꿀 수 있어요.
settings-language = 🌐 언어
settings-language-line = 언어: { $language }
language-choose = 🌐 언어를 골라 주세요:
language-chosen = ✅ 이제부터 한국어로 대화할게요.

## 프롬프트

prompt-empty = ✍️ 명령어 뒤에 그릴 내용을 적어 주세요. 예: /imagine a red fox in the snow
prompt-too-long = ✂️ 프롬프트가 너무 길어요. { $limit }자 이내로 줄여 주세요.
ask-prompt = ✍️ 무엇을 그려 드릴까요? 이 메시지에 답장으로 설명을 보내 주세요. 예: 눈밭의 붉은 여우
ask-prompt-placeholder = 눈밭의 붉은 여우
photo-needs-caption = 🖼️ 이 사진으로 그리려면 무엇을 그릴지 캡션에 적어서 다시 보내 주세요.
album-too-many = 🖼️ 프롬프트 하나에는 사진을 최대 { $limit }장까지 쓸 수 있어요. 앨범 하나에 { $limit }장 이하로 보내 주세요.
image-prompt-needs-url = 🖼️ 이 봇은 아직 사진을 이미지 서비스로 넘길 수 없어요. 운영자가 PUBLIC_URL을 설정해야 해요. 대신 프롬프트를 텍스트로 보내 주세요.
not-offered-describe = 🙅 이 봇이 쓰는 이미지 서비스는 사진 설명 기능을 지원하지 않아요.
not-offered-blend = 🙅 이 봇이 쓰는 이미지 서비스는 사진 블렌드 기능을 지원하지 않아요.

## 설명과 블렌드

describe-ask = 🔎 설명할 사진을 보내 주세요.
blend-ask = 🧩 합칠 사진을 보내 주세요. 2장부터 { $limit }장까지, 한 장씩 보내도 되고 앨범으로 보내도 돼요.
photo-placeholder = 사진을 첨부해 주세요
describe-result = 🔎 이 사진에 어울리는 프롬프트예요. 번호를 누르면 그 프롬프트로 그려요:
describe-one-photo = 🔎 /describe는 한 번에 사진 한 장만 받아요. 한 장씩 따로 보내 주세요.
blend-collected = 🧩 { $count ->
        [1] 지금까지 사진 1장이에요. 최소 한 장 더 보내 주세요.
       *[other] 지금까지 사진 { $count }장이에요. 더 보내거나(최대 { $limit }장) ✅ 블렌드 시작을 눌러 주세요.
    }
blend-full = 🧩 사진 { $count }장, 블렌드할 수 있는 최대 장수예요. ✅ 블렌드 시작을 눌러 주세요.
blend-too-many = 🧩 블렌드는 사진을 최대 { $limit }장까지만 받을 수 있어서 이 사진은 뺐어요.
blend-needs-photos = 🧩 블렌드에는 사진이 2–{ $limit }장 필요해요. 캡션을 /blend로 단 앨범으로 보내거나, /blend를 먼저 보낸 뒤 사진을 보내 주세요.
blend-bad-shape = 🧩 /blend에는 비율만 지정할 수 있어요: --ar 2:3(세로), --ar 1:1(정사각형), --ar 3:2(가로).
blend-started = 🧩 사진 { $count }장을 블렌드하는 중이에요…
blend-cancelled = ✖️ 블렌드를 취소했어요.
button-go-blend = ✅ 블렌드 시작
region-opening = 🖌️ 다시 그릴 영역을 골라 주세요
region-picker =
    🖌️ 다시 그릴 칸을 누른 뒤 ✅ 제출을 눌러 주세요. 프롬프트를 바꾸려면 이 메시지에 새 프롬프트를 답장으로 보내 주세요.

    프롬프트: { $prompt }
region-needs-url = 이 봇은 아직 마스크를 이미지 서비스로 넘길 수 없어요. 운영자가 PUBLIC_URL을 설정해야 해요.
region-empty = 먼저 다시 그릴 칸을 하나 이상 골라 주세요.
region-started = 🖌️ 다시 그리는 중이에요…
region-submitted = 🖌️ { $cells }번 칸을 다시 그리고 있어요.
region-failed = ⚠️ 칸을 표시할 이미지를 가져오지 못했어요. 잠시 후 다시 시도해 주세요.
button-submit = ✅ 제출
zoom-ask =
    🔍 이 메시지에 답장으로 줌아웃한 이미지의 프롬프트를 보내 주세요. --zoom은 1에서 2 사이로 넣어 주세요(없으면 제가 --zoom 2를 붙일게요). 지금 프롬프트예요, 복사해서 쓰세요:
    { $prompt }
zoom-placeholder = 프롬프트 (예: --zoom 1.5 포함)
remix-ask =
    🎛️ Remix: 이 메시지에 답장으로 { $action }에 쓸 프롬프트를 보내 주세요. 그대로 실행하려면 ✅ 그대로 진행을 누르세요. 지금 프롬프트예요, 복사해서 쓰세요:
    { $prompt }
button-keep = ✅ 그대로 진행
button-copy-prompt = 📋 프롬프트 복사
button-cancel = ✖️ 취소
flow-not-yours = 다른 사람의 요청이에요.
flow-stale = 시간이 지나 만료됐어요. 처음부터 다시 해 주세요.

prompt-bad-parameter = ⚠️ { $parameter } 값이 올바르지 않아요. 확인한 뒤 프롬프트를 다시 보내 주세요.

## 진행 상황

status-queued = ⏳ 대기 중: { $prompt }
status-running = 🎨 그리는 중: { $prompt }
    { $bar } { $percent }%
status-action-queued = ⏳ { $doing }: 차례를 기다리는 중이에요…
status-action-running = 🎨 { $doing } 중…
    { $bar } { $percent }%
status-trouble = ⚠️ 지금 이미지 서비스가 응답하지 않아요. 계속 시도하고 있으니 요청이 사라지지는 않아요.
result-caption = { $prompt } — { $user }

# 후속 작업이 지금 하는 일을 상태 메시지에 보여 줄 문구예요.
doing-imagine = 이미지 생성
doing-upscale = { $index }번 이미지 업스케일
doing-variation = { $index }번 이미지 변형 생성
doing-reroll = 그리드 다시 생성
doing-vary-strong = 이미지 크게 변형
doing-vary-subtle = 이미지 살짝 변형
doing-vary-region = 선택한 영역 다시 그리기
doing-zoom-out-2x = 2배 줌아웃
doing-zoom-out-1-5x = 1.5배 줌아웃
doing-zoom-custom = 줌아웃
doing-make-square = 정사각형으로 변환
doing-pan-left = 왼쪽으로 이미지 확장
doing-pan-right = 오른쪽으로 이미지 확장
doing-pan-up = 위쪽으로 이미지 확장
doing-pan-down = 아래쪽으로 이미지 확장
doing-upscale-subtle = 원본에 가깝게 업스케일
doing-upscale-creative = 창의적으로 업스케일
doing-upscale-2x = 2배 업스케일
doing-upscale-4x = 4배 업스케일
doing-redo-upscale-subtle = 원본에 가깝게 다시 업스케일
doing-redo-upscale-creative = 창의적으로 다시 업스케일
doing-redo-upscale-2x = 2배로 다시 업스케일
doing-redo-upscale-4x = 4배로 다시 업스케일
doing-animate-high = 이미지를 움직임이 큰 영상으로 변환
doing-animate-low = 이미지를 움직임이 적은 영상으로 변환
doing-extend-high = 움직임을 크게 해서 영상 연장
doing-extend-low = 움직임을 적게 해서 영상 연장
doing-describe = 사진 분석
doing-blend = 사진 블렌드
doing-other = 이미지 작업
result-caption-action = { $action } · { $prompt } — { $user }
result-caption-bare = { $action } — { $user }

## 실패 (작업이 끝났어요. 다음에 무엇을 하면 되는지 알려 줘요)

error-auth = 🔑 이미지 서비스가 봇의 인증 정보를 거부했어요. 봇 운영자에게 알려 주세요. 요청은 처리되지 않았어요.
error-balance = 💳 봇의 이미지 서비스 계정에 크레딧이 다 떨어졌어요. 봇 운영자에게 알려 주세요.
error-moderation = 🚫 이미지 서비스가 콘텐츠 규정에 어긋난다며 이 프롬프트를 거부했어요. 표현을 바꿔서 다시 시도해 주세요.
error-invalid = ⚠️ 이미지 서비스가 이 요청을 받아들이지 못했어요. 프롬프트와 파라미터를 확인하고 다시 시도해 주세요.
error-rate_limited = 🚦 지금 이미지 서비스가 바빠요. 몇 분 뒤에 다시 시도해 주세요.
error-unavailable = 🛠️ 지금 이미지 서비스가 제대로 응답하지 않아요. 나중에 다시 시도해 주세요.
error-failed = ❌ 이미지 서비스가 이 이미지를 끝내지 못했어요. 다시 시도해 보시거나 프롬프트를 바꿔 보세요.
error-unsupported = 🙅 이 봇이 쓰는 이미지 서비스로는 할 수 없는 작업이에요.
error-timeout = ⌛ 이미지 서비스가 너무 오래 걸려서 그만 기다렸어요. 나중에 다시 시도해 주세요.
error-unconfirmed = ⚠️ 요청을 보내는 도중에 봇이 다시 시작돼서 이미지 서비스가 요청을 받았는지 알 수 없어요. 두 번 보내지는 않을게요. 이미지가 오지 않으면 다시 시도해 주세요.
error-unclear = ⚠️ 이미지 서비스가 이 요청을 확인해 주지 않았어요. 요금이 두 번 나가지 않도록 다시 보내지는 않을게요. 몇 분이 지나도 이미지가 오지 않으면 다시 시도해 주세요.
error-internal = ⚠️ 제 쪽에서 이 요청을 처리하다가 문제가 생겨서 중단했어요. 다시 시도해 주세요.
error-delivery = 📭 이미지는 완성됐는데 여기에 올리지 못했어요. 다시 시도해 주세요.
error-reason = 이유: { $reason }

## 크레딧과 결제

too-many-jobs = ⏳ { $limit ->
        [1] 이미 그리고 있는 이미지가 있어요. 끝나면 다시 시도해 주세요.
       *[other] 이미 그리고 있는 이미지가 { $limit }장 있어요. 하나가 끝나면 다시 시도해 주세요.
    }
credits-short = 💳 크레딧이 부족해요. 이 작업에는 { $cost }크레딧이 필요한데 남은 건 { $left }크레딧이에요.
credits-free-back = 무료 크레딧 { $daily }개는 { $wait } 뒤에 다시 채워져요.
credits-buy = /buy로 더 살 수 있어요.
buy-nothing = 💳 여기서는 크레딧을 판매하지 않아요.
buy-choose = ⭐ Telegram Stars로 살 크레딧 패키지를 골라 주세요:
buy-pack = { $credits }크레딧 — { $stars } ⭐
buy-gone = 이 패키지는 더 이상 판매하지 않아요. 지금 살 수 있는 패키지는 /buy로 확인해 주세요.
buy-done = ✅ 감사합니다! { $credits }크레딧을 넣어 드렸어요. 이제 구매한 크레딧은 { $balance }크레딧이에요.
invoice-title = { $credits }크레딧
invoice-description = 이 봇에서 Midjourney로 그림을 그릴 때 쓰는 { $credits }크레딧이에요.
me-title = 💳 내 크레딧
me-free = 🎁 오늘 무료: { $daily }개 중 { $left }개 남음 ({ $wait } 뒤에 다시 채워져요)
me-free-unlimited = 🎁 무료: 제한 없음
me-bought = ⭐ 구매한 크레딧: { $credits }
me-running = ⏳ 진행 중: { $limit }개 중 { $count }개
me-charges = 최근 사용 내역:
me-charge = • { $action }: { $credits }크레딧 — { $state }
charge-reserved = 차감 예정
charge-spent = 차감됨
charge-refunded = 환불됨
duration = { $hours ->
        [0] { $minutes }분
       *[other] { $hours }시간 { $minutes }분
    }

## 관리자

stats-today = 📊 오늘 (UTC)
stats-week = 📊 최근 7일
stats-report =
    작업: { $statuses }
    작업 종류별: { $actions }
    실패: { $failures }
    사용된 크레딧: { $credits } · 받은 Stars: { $stars } · 사용자 수: { $people }
    가장 많이 쓴 사람: { $top }
admin-ban-usage = 사용법: /{ $command } <사용자 ID 또는 @사용자명>
admin-unknown-user = 모르는 사람이에요. 숫자 ID를 쓰거나, 봇을 써 본 적 있는 사람의 @사용자명을 써 주세요.
admin-ban-admin = 관리자는 차단할 수 없어요.
admin-banned = 🚫 { $user } 사용자를 차단했어요.
admin-unbanned = ✅ { $user } 사용자가 다시 봇을 쓸 수 있어요.
admin-grant-usage = 사용법: /grant <사용자 ID 또는 @사용자명> <크레딧, 1–{ $most }>
admin-granted = ✅ { $user } 사용자에게 { $credits }크레딧을 지급했어요. 이제 구매한 크레딧은 { $balance }크레딧이에요.
admin-refund-usage = 사용법: /refund <텔레그램 결제 charge id>
admin-refund-unknown = 이 charge id로 된 결제를 찾을 수 없어요.
admin-refund-done-before = 이미 환불된 결제예요.
admin-refund-failed = ⚠️ 텔레그램에서 환불해 주지 않았어요: { $reason }
admin-refunded = ✅ { $user } 사용자에게 { $stars } ⭐ 환불을 마쳤어요. { $credits }크레딧은 회수했어요.

## 버튼

tap-not-yours = 이 이미지를 요청한 사람만 버튼을 쓸 수 있어요.
tap-stale = 이제 쓸 수 없는 버튼이에요. /imagine으로 새로 시작해 주세요.
tap-started = ✅ { $action } 시작했어요
tap-running = ⏳ { $action } 이미 진행 중이에요.
tap-done = ✅ { $action } 이미 완료됐어요. 위의 이미지를 확인해 주세요.
tap-unsupported = 🙅 이 봇이 쓰는 이미지 서비스는 { $action } 기능을 지원하지 않아요.
tap-failed = ❌ { $action } 시작하지 못했어요.

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
button-full-size = ⬇️ 원본 크기
full-size-sending = ⬇️ 원본 크기 파일을 보내는 중이에요…
full-size-busy = ⬇️ 원본 크기 파일을 이미 보내고 있어요.
full-size-failed = ⚠️ 지금은 원본 크기 파일을 가져오지 못했어요. 잠시 후 다시 시도해 주세요.

## 기록과 공유

history-title = 🗂️ 내 이미지예요, 최신순({ $first }–{ $last }). 번호를 누르면 버튼까지 그대로 여기에 다시 올려 드려요:
history-line = { $number }. { $prompt }
history-line-action = { $number }. { $action } · { $prompt }
history-line-bare = { $number }. { $action }
history-describe = 🔎 Describe
history-empty = 🗂️ 아직 아무것도 없어요. /imagine 뒤에 설명을 붙여 보내서 첫 이미지를 만들어 보세요. 예: /imagine a red fox in the snow
history-previous = ◀️
history-next = ▶️
history-not-yours = 다른 사람의 기록이에요. 내 기록은 /history로 확인해 주세요.
history-stale = 이 이미지는 이제 기록에 없어요.
history-posting = 📤 다시 올리는 중이에요…
history-failed = ⚠️ 이 이미지를 다시 올리지 못했어요. 잠시 후 다시 시도해 주세요.
inline-nothing = 🎨 찾은 이미지가 없어요. 여기를 눌러 그려 보세요
