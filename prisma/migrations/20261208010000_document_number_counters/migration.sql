-- Document numbers from a counter per tenant, series and year (services/db/document-numbers.ts)
-- instead of a scan of the year's numbers under a tenant-wide lock. Each counter starts at the
-- highest number of its series and year already given, by hand or not (Q-2026-0042), so numbering
-- goes on with the next one: no gap, no duplicate. Inserts into "Document" wait while it is
-- filled, so a creation committed meanwhile is counted; an API of the previous release still
-- running afterwards would not move the counters: stop it before this runs.
CREATE TABLE "DocumentNumberCounter" (
    "tenantId" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "DocumentNumberCounter_pkey" PRIMARY KEY ("tenantId","series","year")
);

ALTER TABLE "DocumentNumberCounter" ADD CONSTRAINT "DocumentNumberCounter_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

LOCK TABLE "Document" IN SHARE MODE;

INSERT INTO "DocumentNumberCounter" ("tenantId", "series", "year", "last")
SELECT "tenantId", parts[1], parts[2]::integer, MAX(parts[3]::integer)
FROM (SELECT "tenantId", regexp_match("number", '^(REQ|Q|O|DN|INV|P)-([0-9]{4})-([0-9]{1,9})$') AS parts FROM "Document") AS numbered
WHERE parts IS NOT NULL
GROUP BY "tenantId", parts[1], parts[2];
