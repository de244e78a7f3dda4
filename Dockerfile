# One image for the api and the worker (docker-compose.yml picks the command).
# TypeScript runs through tsx, as in development: no separate build output to drift from the source.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# Proof uploads and rendering: pdfinfo/pdftoppm (poppler-utils, run under prlimit from
# util-linux) and the DejaVu fonts the watermark is drawn with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends poppler-utils fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
# Dev dependencies stay: tsx runs the sources, and the Prisma CLI generates the client below.
RUN npm install --no-audit --no-fund --include=dev

COPY . .
# Named volumes mounted on /data and /files take these folders' owner: the node user.
RUN npx tsx scripts/prisma-generate.ts --force \
    && mkdir -p /files /data \
    && chown -R node:node /app /files /data

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/server.ts"]
