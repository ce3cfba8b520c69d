# llmux container image. Untested in the repository's CI (no image registry there): see README "Docker".
#   docker build -t llmux .
#   docker run -p 4000:4000 -e LLMUX_DEV_KEY=sk-your-own-key -e OPENAI_API_KEY llmux
# Build stage: dev dependencies, compile dist/ (npm ci runs the `prepare` script), then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/prepare.mjs scripts/prepare.mjs
COPY src src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: production dependencies and the compiled build only, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json llmux.yaml ./
# The sample config's SQLite file and request-log journal live in /app/data.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 4000
# Liveness with node itself (the image has no curl). The port is the config's server.port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (exec form, no shell, no npm): SIGTERM from `docker stop` reaches llmux, which drains the
# requests in flight (server.shutdownGraceMs, 8 s by default: under Docker's 10 s) and flushes its request log.
# Listening on 0.0.0.0 with the sample key sk-llmux-dev is refused: set LLMUX_DEV_KEY (or mount your own config).
CMD ["node", "dist/cli/main.js", "serve", "--config", "llmux.yaml", "--host", "0.0.0.0"]
