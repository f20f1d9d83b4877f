# syntax=docker/dockerfile:1
# Build: install with the pinned pnpm, compile the native SQLite binding, build web + API.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@12.4.2
WORKDIR /app
COPY package.json pnpm-workspace.yaml pnpm-lock.yaml ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/agreement/package.json packages/agreement/
COPY packages/domain/package.json packages/domain/
COPY packages/contracts/package.json packages/contracts/
COPY packages/formats/package.json packages/formats/
COPY packages/cli/package.json packages/cli/
COPY e2e/package.json e2e/
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build \
 && pnpm --filter @warrant/api deploy --prod --legacy /deploy \
 && mkdir -p /deploy/web && cp -r apps/web/dist /deploy/web/dist

# Run: only the bundled server, its production dependencies, migrations and the built web app.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WARRANT_DATA_DIR=/data \
    WARRANT_WEB_DIR=/app/web/dist
WORKDIR /app
COPY --from=build /deploy /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
