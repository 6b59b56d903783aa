# syntax=docker/dockerfile:1

# Build: install everything, compile TypeScript, then drop the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY api-spec ./api-spec
COPY src ./src
COPY migrations ./migrations
# No simulators: production code never starts them, and `npm start` in the image is the production gateway.
RUN npm run build && npm prune --omit=dev && npm pkg set scripts.start="node dist/src/main.js"

# Run: compiled code, production dependencies and the API contract, as the unprivileged `node` user.
# The code is built, so `npm run cli|migrate|worker` skip their pre-scripts (the build) and run dist/.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    PGLITE_DIR=/data \
    npm_config_ignore_scripts=true
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/api-spec ./api-spec
COPY console ./console
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
