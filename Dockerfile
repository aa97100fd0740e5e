# syntax=docker/dockerfile:1
# One image for both baocao processes, running the compiled build (dist/) with plain node — no TypeScript
# loader in production. docker-compose.yml picks the command:
#   web (default)  node dist/client/web/main.js
#   worker         node dist/worker/main.js
# glibc (Debian) rather than Alpine: Temporal's native core bridge and better-sqlite3 ship glibc builds.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# --- toolchain: native modules are compiled in stages built on this one, never in the runtime image ---
FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
# Build tools of these throw-away stages follow the base image's Debian release; nothing of them ships.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp builds against this Node's own headers instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./

# --- build: every package (esbuild, the workflow bundler), then `npm run build` into dist/ ---
FROM toolchain AS build
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY . .
# dist/: the compiled runtime folders, the one-file CLI and the workflow bundle, so the worker starts
# without webpack and runs exactly the code that was built (and replay-tested) into the image
RUN node scripts/build.mjs

# --- production packages only ---
FROM toolchain AS deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- runtime: packages, the build and the CLI launcher; no sources, no dev tools ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    BAOCAO_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    BAOCAO_DATA_DIR=/data \
    BAOCAO_WEB_HOST=0.0.0.0 \
    BAOCAO_WEB_PORT=3000
WORKDIR /app
# Code and packages stay owned by root: the app runs as `node` and cannot rewrite itself.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY examples ./examples
# A named volume mounted on /data starts with this owner.
RUN mkdir -p /data && chown node:node /data
# The base image's `node` user, numeric so that runtimes can verify it is not root.
USER 1000:1000
EXPOSE 3000
# For the web app (the default command); the worker's check is set in docker-compose.yml.
HEALTHCHECK --interval=30s --timeout=10s --start-period=40s --retries=3 \
  CMD ["node", "dist/scripts/healthcheck.js", "web"]
CMD ["node", "dist/client/web/main.js"]
