# The callmatrix image: worker and webhook shim (`docker compose` runs one of each). Debian, not Alpine:
# Temporal's native bridge ships no musl build. Node.js 22, an LTS line (20 reached its end of life in April 2026);
# the code also runs on Node.js 20, which the tests and CI use.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# npm ci links every workspace package the lockfile names, so each one's package.json must be there first.
COPY packages/zoho-emulator/package.json packages/zoho-emulator/
COPY packages/ringostat-emulator/package.json packages/ringostat-emulator/
RUN npm ci --no-audit --no-fund
COPY . .
# The emulators (workspace packages) are here only so the build can type-check the demo path, which loads the Zoho
# one by dynamic import; the build compiles neither, and both leave the image before the runtime stage copies /app.
# They leave before the prune: npm counts a workspace package as a production dependency, so the packages only they
# use (axios, the Zoho emulator's admin client) would otherwise stay in the image.
RUN npm run build && rm -rf packages/ringostat-emulator node_modules/@callmatrix/ringostat-emulator packages/zoho-emulator node_modules/@callmatrix/zoho-emulator && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The code stays root's: the processes run as `node` and write only their data folder (and /tmp), so code run
# through a flaw cannot rewrite callmatrix for the next start. docker-compose also mounts the rest read-only.
COPY --from=build /app /app
RUN mkdir -p /var/lib/callmatrix && chown node:node /var/lib/callmatrix
USER node
ENTRYPOINT ["node", "bin/callmatrix"]
CMD ["--help"]
