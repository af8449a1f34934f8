#!/usr/bin/env bash
# Generates Prisma Client into server/src/generated. Prisma's CLI wants its native schema engine, which
# cannot be downloaded here and which generate does not need: point it at a stand-in that exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/lib/no-schema-engine.sh" PRISMA_HIDE_UPDATE_MESSAGE=1 npx prisma generate
