# One image for the web, worker, beat and media services of docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private

WORKDIR /app

# nginx with the RTMP module: docker-compose's `media` service runs it (`manage.py media_server`).
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx libnginx-mod-rtmp \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that a code change does not reinstall them. Every package is pinned with
# its hashes in requirements.lock; --no-deps makes sure nothing else is pulled in.
COPY requirements.lock ./
RUN pip install --no-deps --require-hashes -r requirements.lock

COPY . .

# Static files are collected into the image (served by WhiteNoise); uploads live on the /data volume.
RUN DEBUG=0 python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --create-home --uid 10001 reloop \
    && mkdir -p /data/media /data/private \
    && chown -R reloop:reloop /app/var /data

USER reloop
EXPOSE 8000
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--access-log", "-", "marketplace.asgi:application"]
