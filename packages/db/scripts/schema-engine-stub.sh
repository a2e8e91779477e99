#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# It must fail: a stub that succeeds would let `prisma migrate deploy` report
# success having applied nothing. Migrations go through packages/db's runner.
echo "conclave: the native Prisma schema engine is not used; see packages/db" >&2
exit 1
