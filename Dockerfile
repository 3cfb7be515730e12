# Worker image for `npm run score-worker` (README.md, "Scoring a photo collection"): Node on Debian
# plus Debian's chromium, the app built once into the image. Kept minimal; it is not built by this
# repository's tests or CI (no container runtime there).
#   docker build -t agedist-worker .
#   docker run --shm-size=1g -v /data/photos:/photos:ro -v /data/results:/results agedist-worker \
#     --queue redis://REDIS_HOST:6379 --root /photos --out /results
FROM node:22-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npx vite build --logLevel warn
# node directly (not npx), so `docker stop`'s SIGTERM reaches the worker: it finishes its jobs in hand.
ENTRYPOINT ["node", "--import", "tsx", "scripts/score-worker.ts", "--skip-build"]
