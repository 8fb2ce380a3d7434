// name: er_clear_automatic_links
// purpose: remove the links and candidates entity resolution made before, so a new run
//   states its current view; links a reviewer confirmed or rejected are kept.
// params: none
// mode: write
// used_by: ingest.resolution
MATCH (:NameMention)-[r:SAME_AS]->(:Trader)
WHERE r.status IN ['linked', 'candidate']
DELETE r
RETURN count(*) AS removed
