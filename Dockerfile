# One image runs every process of the platform:
#   API (default):  node dist/apps/api/src/main.js --no-worker
#   worker:         node dist/apps/worker/src/main.js
#   migrations:     node dist/apps/cli/src/main.js db:migrate   (and every other operator command)
# docker-compose.yml shows them together; the README's "Running in production" explains the variables.

# The npm release CI uses: it honours .npmrc's strict-allow-scripts and package.json's allowScripts, which the npm 10
# bundled with Node 20 does not know.
ARG NPM_VERSION=11.19.1

FROM node:20-bookworm-slim AS base
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

# Compiles TypeScript with the dev dependencies. The optional packages are the embedded PostgreSQL's binaries, which
# only `npm start` (demo mode) uses; leaving them out also leaves out their install scripts on every architecture.
FROM base AS build
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=optional --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build

# Production dependencies only, the compiled code, and the files the web pages read at run time.
FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY apps/web/views ./apps/web/views
COPY apps/web/locales ./apps/web/locales
COPY apps/web/public ./apps/web/public
# Root owns the files; the processes run as the image's unprivileged `node` user (uid 1000) and cannot change them.
USER node
EXPOSE 3000
# The slim image has no curl: Node's own fetch asks the API whether it lives. The worker has no HTTP port; the compose
# file gives it a check of its own.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap bound keeps the API near 200 MB resident under load (bench/run/api-command.ts says why; the benchmark runs it so).
CMD ["node", "--max-old-space-size=256", "dist/apps/api/src/main.js", "--no-worker"]
