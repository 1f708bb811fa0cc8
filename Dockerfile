# syntax=docker/dockerfile:1
# The identity-posture run task server for HCP Terraform / Terraform Enterprise (docs/run-task.md):
#   docker build -t identity-posture-run-task .
#   docker run -p 8080:8080 -v "$PWD/hmac-key:/run/secrets/hmac-key:ro" identity-posture-run-task
# The image holds this repository's own sources, compiled, and the dependencies package-lock.json pins
# (checked against its integrity hashes, install scripts off). The runtime image has no shell and no
# package manager: nothing is downloaded when the container runs.
# Pin both base images by digest for a reproducible build (docs/run-task.md shows how):
#   --build-arg BUILD_IMAGE=node:20-bookworm-slim@sha256:... --build-arg RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot@sha256:...
ARG BUILD_IMAGE=node:20-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY engine ./engine
COPY policies ./policies
COPY rules ./rules
COPY report ./report
COPY cli ./cli
COPY testing ./testing
COPY constructs ./constructs
COPY data ./data
RUN npm run build
# Only the runtime dependencies from here on (the dev tools compiled the sources and are left behind).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${RUNTIME_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER nonroot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["/nodejs/bin/node", "-e", "require('http').get('http://127.0.0.1:8080/healthz', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
ENTRYPOINT ["/nodejs/bin/node", "dist/cli/posture.js"]
CMD ["run-task", "--port", "8080", "--hmac-key-file", "/run/secrets/hmac-key"]
