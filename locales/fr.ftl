## Commandes

start =
    👋 Bonjour ! Je dessine des images avec Midjourney.

    Envoyez /imagine suivi d'une description, par exemple :
    /imagine a lighthouse in a storm, oil painting --ar 3:2

    Je publie une grille de quatre images avec des boutons : U1–U4 agrandissent une image, V1–V4 en créent des variantes, 🔄 redessine la grille.
help =
    Mode d'emploi :

    • /imagine <prompt> — je dessine quatre images.
    • En conversation privée, n'importe quel message texte sert aussi de prompt.
    • Dans un groupe, utilisez /imagine ou mentionnez-moi. Avec /imagine seul, je vous demande le prompt : répondez à ma question pour me le donner.
    • Les paramètres Midjourney fonctionnent comme d'habitude : --ar 16:9, --v 6.1, --chaos 20, --no text, …
    • Sous chaque résultat : U1–U4 agrandissent une image, V1–V4 créent des variantes, 🔄 redessine. Les résultats suivants proposent les boutons Vary, Zoom, Pan et Upscale, et ⬇️ Taille réelle envoie le fichier d'origine.
    • 🖌️ Vary (Region) affiche l'image avec des cases numérotées : touchez celles à redessiner, répondez avec un nouveau prompt si vous le souhaitez, puis ✅ Valider. 🔍 Custom Zoom vous demande le prompt de l'image dézoomée. 🎬 Animate transforme une image en courte vidéo.
    • Une photo avec une légende : je dessine en me servant de la photo comme image de référence (un album : jusqu'à 5 photos).
    • /describe avec une photo (en légende, en réponse à la photo, ou seul puis la photo) : je vous propose quatre prompts pour elle.
    • /blend avec 2 à 5 photos (un album avec /blend en légende, ou /blend seul puis les photos) : je les fusionne en une seule image ; ajoutez --ar 2:3 ou --ar 3:2 pour un format portrait ou paysage.
    • /settings — vos réglages par défaut : version, format, vitesse, stylize, style raw, Remix (les variantes vous demandent d'abord le prompt) et langue (/language).
    • /me — vos crédits et ce à quoi ils ont servi ; /buy — des crédits en plus, payés en Étoiles Telegram.
    • /history — vos images passées, pour en republier une avec ses boutons. Pour en partager une dans n'importe quel chat, tapez @{ $bot } et quelques mots de son prompt.

    Dans un groupe, seule la personne qui a demandé une image peut appuyer sur ses boutons ; les administrateurs du groupe peuvent l'autoriser à tout le monde avec /settings.
unknown-command = 🤔 Je ne connais pas la commande { $command }. Pour dessiner, envoyez /imagine et une description ; /help présente tout ce que je sais faire.
cannot-use = 🤷 Je ne sais pas quoi faire de ça. Envoyez-moi une description de ce qu'il faut dessiner, ou /help pour voir tout ce que je sais faire.
command-imagine = Dessiner quatre images à partir d'un prompt
command-help = Comment utiliser le bot
command-describe = Quatre prompts qui décrivent une photo
command-blend = Fusionner 2 à 5 photos en une seule image
command-settings = Vos réglages : version, format, vitesse, style
command-language = Choisir la langue du bot
command-me = Vos crédits et ce à quoi ils ont servi
command-buy = Acheter des crédits en Étoiles Telegram
command-history = Vos images, à republier
command-stats = Admin : utilisation et recettes, aujourd'hui et sur 7 jours
command-ban = Admin : interdire le bot à quelqu'un
command-unban = Admin : rendre l'accès au bot à quelqu'un
command-grant = Admin : donner des crédits à quelqu'un
command-refund = Admin : rembourser un paiement en Étoiles
bot-description = Je dessine des images avec Midjourney, directement dans Telegram. Envoyez-moi une description et recevez quatre images, puis, d'une simple touche, agrandissez-les, créez des variantes, dézoomez, décalez le cadre, redessinez une zone ou animez-les. Les photos marchent aussi : je peux les décrire, les fusionner ou dessiner à partir d'elles.
bot-short-description = Midjourney dans Telegram : décrivez, je dessine.
banned = 🚫 Désolé, vous ne pouvez plus utiliser ce bot.
private-bot = 🔒 Désolé, ce bot est privé.

## Réglages

settings-personal =
    ⚙️ Vos réglages. Ils s'appliquent à vos prompts, sauf si un prompt précise lui-même le même paramètre.
    Version : { $version }
    Format : { $aspect }
    Vitesse : { $speed }
    Stylize : { $stylize }
    Style raw : { $raw }
settings-default = par défaut
settings-on = activé
settings-off = désactivé
settings-speed-fast = ⚡ Fast
settings-speed-relax = 🐢 Relax
settings-speed-turbo = 🚀 Turbo
settings-stylize-off = 🎨 aucun
settings-raw = 📷 Raw
settings-remix = 🎛️ Remix
settings-remix-line = Remix : { $remix } (les variantes, 🔄, Vary et Pan demandent d'abord le prompt)
settings-reset = ↩️ Réinitialiser
settings-not-yours = Ce sont les réglages de quelqu'un d'autre. Envoyez /settings pour voir les vôtres.
settings-owner = 👥 Dans ce chat, seule la personne qui a demandé une image peut appuyer sur ses boutons.
settings-everyone = 👥 Dans ce chat, tout le monde peut appuyer sur les boutons de toutes les images.
settings-set-everyone = Autoriser tout le monde
settings-set-owner = Seulement l'auteur de la demande
settings-saved = ✅ Enregistré
settings-admins-only = Seuls les administrateurs du groupe peuvent modifier ce réglage.
settings-language = 🌐 Langue
settings-language-line = Langue : { $language }
language-choose = 🌐 Choisissez votre langue :
language-chosen = ✅ Désormais, je vous parlerai en français.

## Prompts

prompt-empty = ✍️ Écrivez ce qu'il faut dessiner après la commande, par exemple : /imagine a red fox in the snow
prompt-too-long = ✂️ Ce prompt est trop long. Merci de ne pas dépasser { $limit ->
        [one] { $limit } caractère
       *[other] { $limit } caractères
    }.
ask-prompt = ✍️ Que dois-je dessiner ? Répondez à ce message avec une description, par exemple : un renard roux dans la neige
ask-prompt-placeholder = Un renard roux dans la neige
photo-needs-caption = 🖼️ Pour dessiner à partir de cette photo, renvoyez-la avec une légende qui dit quoi dessiner.
album-too-many = 🖼️ Un prompt accepte jusqu'à { $limit } photos. Merci d'en envoyer { $limit } au maximum par album.
image-prompt-needs-url = 🖼️ Ce bot ne peut pas encore transmettre de photos à son service d'images : son administrateur doit configurer PUBLIC_URL. Envoyez plutôt le prompt sous forme de texte.
not-offered-describe = 🙅 Le service d'images qu'utilise ce bot ne sait pas décrire les photos.
not-offered-blend = 🙅 Le service d'images qu'utilise ce bot ne sait pas fusionner les photos.

## Description et fusion

describe-ask = 🔎 Envoyez-moi la photo à décrire.
blend-ask = 🧩 Envoyez-moi les photos à fusionner : de 2 à { $limit }, une par une ou en album.
photo-placeholder = Joignez une photo
describe-result = 🔎 Des prompts pour cette photo. Touchez un numéro pour en dessiner un :
describe-one-photo = 🔎 /describe ne prend qu'une photo à la fois : envoyez-la seule, s'il vous plaît.
blend-collected = 🧩 { $count ->
        [one] { $count } photo pour l'instant, il en faut au moins deux. Envoyez-en une autre.
       *[other] { $count } photos pour l'instant. Envoyez-en d'autres (jusqu'à { $limit }) ou touchez ✅ Fusionner.
    }
blend-full = 🧩 { $count ->
        [one] { $count } photo
       *[other] { $count } photos
    } : c'est le maximum pour une fusion. Touchez ✅ Fusionner.
blend-too-many = 🧩 Une fusion prend au maximum { $limit } photos, j'ai donc laissé celle-ci de côté.
blend-needs-photos = 🧩 Une fusion demande de 2 à { $limit } photos : envoyez-les en album avec /blend en légende, ou envoyez d'abord /blend, puis les photos.
blend-bad-shape = 🧩 /blend n'accepte qu'un format : --ar 2:3 (portrait), --ar 1:1 (carré) ou --ar 3:2 (paysage).
blend-started = 🧩 Fusion de { $count ->
        [one] { $count } photo
       *[other] { $count } photos
    }…
blend-cancelled = ✖️ Fusion annulée.
button-go-blend = ✅ Fusionner
region-opening = 🖌️ Choisissez la zone à redessiner
region-picker =
    🖌️ Touchez les cases à redessiner, puis ✅ Valider. Pour changer le prompt, répondez à ce message avec le nouveau.

    Prompt : { $prompt }
region-needs-url = Ce bot ne peut pas encore transmettre de masque à son service d'images : son administrateur doit configurer PUBLIC_URL.
region-empty = Choisissez d'abord au moins une case à redessiner.
region-started = 🖌️ Je redessine…
region-submitted = 🖌️ Je redessine les cases { $cells }.
region-failed = ⚠️ Je n'ai pas pu récupérer l'image pour y tracer la grille. Réessayez dans un petit moment.
button-submit = ✅ Valider
zoom-ask =
    🔍 Répondez à ce message avec le prompt de l'image dézoomée, avec un --zoom entre 1 et 2 (j'ajoute --zoom 2 si vous n'en mettez pas). Le prompt actuel, à copier :
    { $prompt }
zoom-placeholder = Le prompt, avec --zoom 1.5 par exemple
remix-ask =
    🎛️ Remix : répondez à ce message avec le prompt pour { $action }, ou touchez ✅ Garder tel quel pour le lancer sans changement. Le prompt actuel, à copier :
    { $prompt }
button-keep = ✅ Garder tel quel
button-copy-prompt = 📋 Copier le prompt
button-cancel = ✖️ Annuler
flow-not-yours = Ceci appartient à la demande de quelqu'un d'autre.
flow-stale = Ce n'est plus valable. Merci de recommencer.

prompt-bad-parameter = ⚠️ La valeur de { $parameter } n'est pas valide. Vérifiez-la et renvoyez le prompt.

## Progression

status-queued = ⏳ En file d'attente : { $prompt }
status-running = 🎨 Dessin en cours : { $prompt }
    { $bar } { $percent } %
status-action-queued = ⏳ { $doing } : en attente de son tour…
status-action-running = 🎨 { $doing }…
    { $bar } { $percent } %
status-trouble = ⚠️ Le service d'images ne répond pas pour le moment. Je continue d'essayer, rien n'est perdu.
result-caption = { $prompt } — { $user }

# Ce que fait une tâche lancée par un bouton, en mots, pour son message d'avancement.
doing-imagine = Dessin
doing-upscale = Agrandissement de l'image { $index }
doing-variation = Variantes de l'image { $index }
doing-reroll = Nouvelle grille
doing-vary-strong = Variation forte de l'image
doing-vary-subtle = Variation subtile de l'image
doing-vary-region = Retouche de la zone choisie
doing-zoom-out-2x = Dézoom 2x
doing-zoom-out-1-5x = Dézoom 1,5x
doing-zoom-custom = Dézoom
doing-make-square = Mise au format carré
doing-pan-left = Extension de l'image vers la gauche
doing-pan-right = Extension de l'image vers la droite
doing-pan-up = Extension de l'image vers le haut
doing-pan-down = Extension de l'image vers le bas
doing-upscale-subtle = Agrandissement subtil
doing-upscale-creative = Agrandissement créatif
doing-upscale-2x = Agrandissement 2x
doing-upscale-4x = Agrandissement 4x
doing-redo-upscale-subtle = Nouvel agrandissement subtil
doing-redo-upscale-creative = Nouvel agrandissement créatif
doing-redo-upscale-2x = Nouvel agrandissement 2x
doing-redo-upscale-4x = Nouvel agrandissement 4x
doing-animate-high = Animation de l'image (mouvement fort)
doing-animate-low = Animation de l'image (mouvement léger)
doing-extend-high = Prolongation de la vidéo (mouvement fort)
doing-extend-low = Prolongation de la vidéo (mouvement léger)
doing-describe = Description de la photo
doing-blend = Fusion des photos
doing-other = Travail sur l'image
result-caption-action = { $action } · { $prompt } — { $user }
result-caption-bare = { $action } — { $user }

## Échecs (la tâche est terminée ; dire à la personne quoi faire ensuite)

error-auth = 🔑 Le service d'images a refusé les identifiants du bot. Prévenez le propriétaire du bot ; votre demande n'a pas été traitée.
error-balance = 💳 Le compte du bot auprès du service d'images n'a plus de crédit. Prévenez le propriétaire du bot.
error-moderation = 🚫 Le service d'images a refusé ce prompt, contraire à ses règles de contenu. Reformulez-le et réessayez.
error-invalid = ⚠️ Le service d'images n'a pas pu accepter cette demande. Vérifiez le prompt et ses paramètres, puis réessayez.
error-rate_limited = 🚦 Le service d'images est très sollicité en ce moment. Réessayez dans quelques minutes.
error-unavailable = 🛠️ Le service d'images ne répond pas correctement en ce moment. Réessayez plus tard.
error-failed = ❌ Le service d'images n'a pas pu terminer cette image. Réessayez, peut-être avec un autre prompt.
error-unsupported = 🙅 Le service d'images qu'utilise ce bot ne sait pas faire ça.
error-timeout = ⌛ Le service d'images a mis trop de temps, j'ai donc arrêté d'attendre. Réessayez plus tard.
error-unconfirmed = ⚠️ Le bot a redémarré pendant l'envoi de cette demande, je ne sais donc pas si le service d'images l'a reçue. Je ne l'enverrai pas deux fois ; réessayez si aucune image n'arrive.
error-unclear = ⚠️ Le service d'images n'a pas confirmé cette demande. Je ne la renverrai pas, pour qu'elle ne vous soit pas facturée deux fois ; si aucune image n'arrive d'ici quelques minutes, réessayez.
error-internal = ⚠️ Quelque chose s'est mal passé de mon côté avec cette demande, je l'ai donc arrêtée. Réessayez.
error-delivery = 📭 L'image était prête, mais je n'ai pas pu la publier ici. Réessayez.
error-reason = Raison : { $reason }

## Crédits et paiements

too-many-jobs = ⏳ { $limit ->
        [one] Vous avez déjà une image en cours. Attendez qu'elle soit terminée, puis réessayez.
       *[other] Vous avez déjà { $limit } images en cours. Attendez que l'une d'elles soit terminée, puis réessayez.
    }
credits-short = 💳 Pas assez de crédits : il en faut { $cost }, il vous en reste { $left }.
credits-free-back = { $daily ->
        [one] Votre { $daily } crédit gratuit revient
       *[other] Vos { $daily } crédits gratuits reviennent
    } dans { $wait }.
credits-buy = Obtenez-en d'autres avec /buy.
buy-nothing = 💳 Les crédits ne sont pas en vente ici.
buy-choose = ⭐ Choisissez un pack de crédits à acheter en Étoiles Telegram :
buy-pack = { $credits ->
        [one] { $credits } crédit
       *[other] { $credits } crédits
    } pour { $stars } ⭐
buy-gone = Ce pack n'est plus en vente. Envoyez /buy pour voir l'offre actuelle.
buy-done = ✅ Merci ! { $credits ->
        [one] { $credits } crédit ajouté
       *[other] { $credits } crédits ajoutés
    } : vous avez maintenant { $balance ->
        [one] { $balance } crédit acheté
       *[other] { $balance } crédits achetés
    }.
invoice-title = { $credits ->
        [one] { $credits } crédit
       *[other] { $credits } crédits
    }
invoice-description = { $credits ->
        [one] { $credits } crédit
       *[other] { $credits } crédits
    } pour dessiner avec Midjourney dans ce bot.
me-title = 💳 Vos crédits
me-free = 🎁 Gratuits aujourd'hui : { $left } sur { $daily } (de retour dans { $wait })
me-free-unlimited = 🎁 Gratuits : sans limite
me-bought = ⭐ Achetés : { $credits }
me-running = ⏳ En cours : { $count } sur { $limit }
me-charges = Dernières dépenses :
me-charge = • { $action } : { $credits } — { $state }
charge-reserved = réservé
charge-spent = dépensé
charge-refunded = remboursé
duration = { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h { $minutes } min
    }

## Administration

stats-today = 📊 Aujourd'hui (UTC)
stats-week = 📊 Les 7 derniers jours
stats-report =
    Tâches : { $statuses }
    Par action : { $actions }
    Échecs : { $failures }
    Crédits dépensés : { $credits } · Étoiles reçues : { $stars } · Utilisateurs : { $people }
    Plus gros consommateurs : { $top }
admin-ban-usage = Utilisation : /{ $command } <id de l'utilisateur ou @username>
admin-unknown-user = Je ne connais pas cette personne : indiquez son id numérique, ou le @username de quelqu'un qui a déjà utilisé le bot.
admin-ban-admin = Impossible de bannir un administrateur.
admin-banned = 🚫 L'utilisateur { $user } est banni.
admin-unbanned = ✅ L'utilisateur { $user } peut de nouveau utiliser le bot.
admin-grant-usage = Utilisation : /grant <id de l'utilisateur ou @username> <crédits, de 1 à { $most }>
admin-granted = ✅ { $credits ->
        [one] { $credits } crédit donné
       *[other] { $credits } crédits donnés
    } à l'utilisateur { $user } : il a maintenant { $balance ->
        [one] { $balance } crédit acheté
       *[other] { $balance } crédits achetés
    }.
admin-refund-usage = Utilisation : /refund <charge id du paiement Telegram>
admin-refund-unknown = Je ne connais aucun paiement avec ce charge id.
admin-refund-done-before = Ce paiement a déjà été remboursé.
admin-refund-failed = ⚠️ Telegram n'a pas effectué le remboursement : { $reason }
admin-refunded = ✅ Remboursement de { $stars } ⭐ à l'utilisateur { $user } ; { $credits ->
        [one] { $credits } crédit repris
       *[other] { $credits } crédits repris
    }.

## Boutons

tap-not-yours = Seule la personne qui a demandé cette image peut utiliser ses boutons.
tap-stale = Ce bouton ne fonctionne plus. Lancez un nouveau /imagine.
tap-started = ✅ { $action } lancé
tap-running = ⏳ { $action } est déjà en cours.
tap-done = ✅ { $action } est déjà fait : voyez l'image ci-dessus.
tap-unsupported = 🙅 Le service d'images qu'utilise ce bot ne prend pas en charge { $action }.
tap-failed = ❌ Impossible de lancer { $action }.

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
button-blend = 🧩 Fusion
button-other = { $label }
button-full-size = ⬇️ Taille réelle
full-size-sending = ⬇️ J'envoie le fichier en taille réelle…
full-size-busy = ⬇️ Le fichier en taille réelle est déjà en route.
full-size-failed = ⚠️ Je n'ai pas pu récupérer le fichier en taille réelle pour le moment. Réessayez dans un petit moment.

## Historique et partage

history-title = 🗂️ Vos images, des plus récentes aux plus anciennes ({ $first }–{ $last }). Touchez un numéro pour republier l'image ici, avec ses boutons :
history-line = { $number }. { $prompt }
history-line-action = { $number }. { $action } · { $prompt }
history-line-bare = { $number }. { $action }
history-describe = 🔎 Description
history-empty = 🗂️ Rien pour l'instant. Envoyez /imagine et une description pour créer votre première image, par exemple : /imagine a red fox in the snow
history-previous = ◀️
history-next = ▶️
history-not-yours = C'est l'historique de quelqu'un d'autre. Envoyez /history pour voir le vôtre.
history-stale = Cette image ne figure plus dans votre historique.
history-posting = 📤 Je la republie…
history-failed = ⚠️ Je n'ai pas pu republier cette image. Réessayez dans un petit moment.
inline-nothing = 🎨 Aucune image trouvée. Touchez ici pour en dessiner une
