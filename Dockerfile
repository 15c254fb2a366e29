# syntax=docker/dockerfile:1.7
# Tollgate: one image for the webhook server and the workers (the command picks the role).
#   docker build -t tollgate .
#   docker run --env-file .env tollgate                                   # server (PORT, /metrics)
#   docker run --env-file .env tollgate node bin/run.js workers/check-worker.ts   # a worker

# Pin by digest in production (node:20-bookworm-slim@sha256:...).
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: compile TypeScript to dist/, then keep production dependencies only -------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- tools: helm and kustomize for render commands, pinned and checksum-verified ------------
FROM debian:bookworm-slim AS tools
ARG TARGETARCH=amd64
ARG HELM_VERSION=v3.16.3
ARG HELM_SHA256_AMD64=f5355c79190951eed23c5432a3b920e071f4c00a64f75e077de0dd4cb7b294ea
ARG HELM_SHA256_ARM64=5bd34ed774df6914b323ff84a0a156ea6ff2ba1eaf0113962fa773f3f9def798
ARG KUSTOMIZE_VERSION=v5.4.3
ARG KUSTOMIZE_SHA256_AMD64=3669470b454d865c8184d6bce78df05e977c9aea31c30df3c669317d43bcc7a7
ARG KUSTOMIZE_SHA256_ARM64=1b515578b0af12c15d9856720066ce2fe66756d63785b2cbccaf2885beb2381c
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /tools
RUN set -eu; \
    case "${TARGETARCH}" in \
      amd64) helm_sha="${HELM_SHA256_AMD64}"; kustomize_sha="${KUSTOMIZE_SHA256_AMD64}" ;; \
      arm64) helm_sha="${HELM_SHA256_ARM64}"; kustomize_sha="${KUSTOMIZE_SHA256_ARM64}" ;; \
      *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 1 ;; \
    esac; \
    curl -fsSLo helm.tar.gz "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz"; \
    echo "${helm_sha}  helm.tar.gz" | sha256sum -c -; \
    tar -xzf helm.tar.gz --strip-components=1 "linux-${TARGETARCH}/helm"; \
    curl -fsSLo kustomize.tar.gz \
      "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}/kustomize_${KUSTOMIZE_VERSION}_linux_${TARGETARCH}.tar.gz"; \
    echo "${kustomize_sha}  kustomize.tar.gz" | sha256sum -c -; \
    tar -xzf kustomize.tar.gz kustomize; \
    chmod 0755 helm kustomize; \
    ./helm version --short; ./kustomize version; \
    rm -f helm.tar.gz kustomize.tar.gz

# --- runtime: node, compiled code, production dependencies, the two binaries; non-root ------
FROM ${NODE_IMAGE} AS runtime
# bubblewrap: the sandbox every render command runs in (TOLLGATE_RENDER_SANDBOX=bwrap, the default).
# A worker without a working sandbox refuses `command:` environments; see docs/operations.md for
# what the container runtime must allow (user namespaces, a fresh /proc).
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    TOLLGATE_RENDER_SANDBOX=bwrap \
    TOLLGATE_RENDER_ALLOW=helm,kustomize,kubectl \
    PORT=3000 \
    METRICS_PORT=9464 \
    HELM_CACHE_HOME=/tmp/helm/cache \
    HELM_CONFIG_HOME=/tmp/helm/config \
    HELM_DATA_HOME=/tmp/helm/data
WORKDIR /app
COPY --from=tools --chown=root:root /tools/helm /tools/kustomize /usr/local/bin/
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/dist ./dist
# The default Kyverno policies, applied to repositories without their own.
COPY --chown=root:root policies ./policies
# `tollgate demo` builds its throwaway repository from here.
COPY --chown=root:root examples/cafe ./examples/cafe
# The `node` user (uid 1000) of the official image; the code stays owned by root, read-only to it.
USER node
EXPOSE 3000 9464
# Liveness of whichever role runs: the server answers on PORT, a worker on METRICS_PORT.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "const p=process.argv[1];Promise.any([fetch('http://127.0.0.1:'+process.env.PORT+p),fetch('http://127.0.0.1:'+process.env.METRICS_PORT+p)].map(r=>r.then(x=>x.ok||Promise.reject()))).then(()=>process.exit(0),()=>process.exit(1))" /healthz
CMD ["node", "bin/run.js", "src/server/main.ts"]
