# Multi-stage build of every inferq app; one image, the command picks the app.
# Nothing on the development machines runs Docker: keep it in step with the
# native commands in package.json (npm run start:*).
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV COREPACK_INTEGRITY_KEYS=0 CI=true
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc tsconfig*.json ./
COPY scripts ./scripts
COPY packages ./packages
COPY apps ./apps
RUN npx --yes pnpm@10.34.8 install --frozen-lockfile \
 && node node_modules/typescript/bin/tsc -b tsconfig.json \
 && npx --yes pnpm@10.34.8 prune --prod

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
# api 3000, dashboard 3001, worker metrics 9101, dispatcher metrics 9102
EXPOSE 3000 3001 9101 9102
# node directly (not npm): SIGTERM from `docker stop` must reach the app so it drains.
CMD ["node", "scripts/run.js", "start:api"]
