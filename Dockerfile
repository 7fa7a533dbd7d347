# mjbot in a container: long polling by default, webhook mode when PUBLIC_URL is set
# (see README.md). Jobs live in the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# DejaVu Sans lets the mock provider draw Cyrillic prompts on its pictures.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY locales ./locales
RUN pip install . \
    && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin mjbot \
    && mkdir /data \
    && chown mjbot:mjbot /data

USER mjbot
VOLUME /data
# PORT is set so that /healthz is served in both modes.
ENV DATABASE_URL=sqlite:////data/mjbot.db \
    PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT:-8080}/healthz', timeout=4)"
# SIGTERM stops the bot gracefully: what is being posted is finished first.
STOPSIGNAL SIGTERM
CMD ["mjbot"]
