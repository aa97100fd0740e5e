# syntax=docker/dockerfile:1
# One image for both baocao processes; docker-compose.yml picks the command:
#   web (default)  node --import tsx client/web/main.ts
#   worker         node --import tsx worker/main.ts
# glibc (Debian) rather than Alpine: Temporal's native core bridge and better-sqlite3 ship glibc builds.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# --- dependencies: production packages only; native modules compiled here, never in the runtime image ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Build tools of this throw-away stage follow the base image's Debian release; nothing of them ships.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against this Node's own headers instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- workflow bundle: built once here, so the worker starts without webpack and runs exactly this code ---
FROM deps AS bundle
COPY . .
RUN node --import tsx scripts/build-workflow-bundle.ts dist/workflow-bundle.js

# --- runtime ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    BAOCAO_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    BAOCAO_DATA_DIR=/data \
    BAOCAO_WEB_HOST=0.0.0.0 \
    BAOCAO_WEB_PORT=3000
WORKDIR /app
# Code and packages stay owned by root: the app runs as `node` and cannot rewrite itself.
COPY --from=deps /app/node_modules ./node_modules
COPY . .
COPY --from=bundle /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
# A named volume mounted on /data starts with this owner.
RUN mkdir -p /data && chown node:node /data
# The base image's `node` user, numeric so that runtimes can verify it is not root.
USER 1000:1000
EXPOSE 3000
# For the web app (the default command); the worker's check is set in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \
  CMD ["node", "--import", "tsx", "scripts/healthcheck.ts", "web"]
CMD ["node", "--import", "tsx", "client/web/main.ts"]
