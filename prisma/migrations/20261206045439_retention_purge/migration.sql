-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'retention.purge';
