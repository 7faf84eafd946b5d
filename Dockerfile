# syntax=docker/dockerfile:1
# plsctl's container image: the package that `npm pack` makes (bin/ and dist/: one self-contained
# esbuild bundle, no node_modules, no runtime dependencies) on a distroless Node 22 runtime — no
# shell, no package manager, a non-root user; it runs with a read-only root filesystem.
# Built and pushed for linux/amd64 and linux/arm64 by .github/workflows/release.yml, on a version
# tag, to ghcr.io/<owner>/<repository>.
#
#   docker run --rm ghcr.io/<owner>/plsctl:<version> --version
#
# Base images are pinned by the digest of their multi-arch index (a tag moves, a digest does not).
# Both digests are index digests of the tags named, as public Dockerfiles pinned them in July 2026;
# no registry is reachable where this file was written, so check them before a release (and to
# renew): docker buildx imagetools inspect <tag> --format '{{json .Manifest.Digest}}'

# Build stage: node:22-bookworm-slim, the Docker Official Image (https://hub.docker.com/_/node).
# It runs on the build machine's own platform: the bundle is plain JavaScript, the same for every
# target, so no stage runs under emulation.
FROM --platform=$BUILDPLATFORM node:22-bookworm-slim@sha256:43ac6c60b8f89723f746e8a92ce91abd5017e627ce1ddfe4238355d3a30b772c AS build
WORKDIR /src
COPY . .
# npm ci runs `prepare` (the esbuild bundle); npm pack packs bin/, dist/ and examples/ as `files`
# in package.json says, exactly what `npm install plsctl` installs.
RUN npm ci --no-audit --no-fund \
 && mkdir /out \
 && npm pack --pack-destination /out \
 && tar -xzf /out/plsctl-*.tgz -C /out

# Runtime: gcr.io/distroless/nodejs22-debian12:nonroot (https://github.com/GoogleContainerTools/distroless):
# Node 22 (22.19 or newer, as bin/check-node.js requires) and nothing else; user nonroot (65532).
FROM gcr.io/distroless/nodejs22-debian12:nonroot@sha256:13593b7570658e8477de39e2f4a1dd25db2f836d68a0ba771251572d23bb4f8e
COPY --from=build /out/package /opt/plsctl
ENV NODE_ENV=production
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/opt/plsctl/bin/plsctl.js"]
CMD ["--help"]
