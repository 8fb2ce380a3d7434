// name: er_clear_address_links
// purpose: remove the tip-to-address links and candidates address resolution made
//   before, so a new run states its current view; links a reviewer confirmed or rejected,
//   and links by postcode (no status), are kept.
// params: none
// mode: write
// used_by: ingest.resolution
MATCH (:Tip)-[r:MENTIONS]->(:Address)
WHERE r.status IN ['linked', 'candidate']
DELETE r
RETURN count(*) AS removed
