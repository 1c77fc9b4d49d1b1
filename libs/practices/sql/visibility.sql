-- The practice read rule (libs/practices/src/visibility/visibility.predicate.ts), rendered for each kind of viewer,
-- one search query built on it, and the revision read rule built on it. Checked by test/contract/sql-snapshots.int-spec.ts.

-- anonymous viewer
(p.hidden_at IS NULL AND p.status = :visPublished AND p.visibility = :visClear);
-- parameters: {"visPublished":"PUBLISHED","visClear":"TLP_CLEAR"}

-- signed-in member (organisation :visOrg)
(p.hidden_at IS NULL AND (p.organisation_id = :visOrg OR (p.status <> :visDraft AND (p.visibility IN (:visClear, :visGreen) OR (p.visibility = :visAmber AND EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = p.id AND vis_a.organisation_id = :visOrg))))));
-- parameters: ["visOrg","visDraft","visClear","visGreen","visAmber"]

-- practices(filter: {query, tags}, orderBy: RELEVANCE) for that member
SELECT "p"."id" AS "id", "p"."organisation_id" AS "organisationId", "p"."author_id" AS "authorId", "p"."title" AS "title", "p"."summary" AS "summary", "p"."problem" AS "problem", "p"."approach" AS "approach", "p"."outcomes" AS "outcomes", "p"."resources" AS "resources", "p"."language" AS "language", "p"."status" AS "status", "p"."visibility" AS "visibility", "p"."revision" AS "revision", "p"."published_at" AS "publishedAt", "p"."hidden_at" AS "hiddenAt", "p"."created_at" AS "createdAt", "p"."updated_at" AS "updatedAt", ts_rank_cd(p.search_vector, websearch_to_tsquery('english', $1)) AS sort_key, ts_headline('english', translate(concat_ws(' ', p.summary, p.problem, p.approach, p.outcomes), $2, $3), websearch_to_tsquery('english', $1), $4) AS snippet FROM practice p WHERE (p.hidden_at IS NULL AND (p.organisation_id = $5 OR (p.status <> $6 AND (p.visibility IN ($7, $8) OR (p.visibility = $9 AND EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = p.id AND vis_a.organisation_id = $5)))))) AND p.status = $10 AND (p.search_vector @@ websearch_to_tsquery('english', $1) AND EXISTS (SELECT 1 FROM practice_tag f_pt JOIN tag f_t ON f_t.id = f_pt.tag_id WHERE f_pt.practice_id = p.id AND f_t.slug IN ($11))) ORDER BY ts_rank_cd(p.search_vector, websearch_to_tsquery('english', $1)) DESC, p.id DESC LIMIT $12;

-- a revision (r) of a practice (p): readable under both the practice's current level and its own recorded one
-- anonymous viewer
((p.hidden_at IS NULL AND p.status = :visPublished AND p.visibility = :visClear) AND (r.status = :visPublished AND r.visibility = :visClear));
-- parameters: {"visPublished":"PUBLISHED","visClear":"TLP_CLEAR"}

-- signed-in member (organisation :visOrg)
((p.hidden_at IS NULL AND (p.organisation_id = :visOrg OR (p.status <> :visDraft AND (p.visibility IN (:visClear, :visGreen) OR (p.visibility = :visAmber AND EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = p.id AND vis_a.organisation_id = :visOrg)))))) AND ((p.organisation_id = :visOrg OR (r.status <> :visDraft AND (r.visibility IN (:visClear, :visGreen) OR (r.visibility = :visAmber AND CAST(:visOrg AS uuid) = ANY(r.audience_organisation_ids)))))));
-- parameters: ["visOrg","visDraft","visClear","visGreen","visAmber"]

-- Practice.revisions for that member
SELECT "r"."id" AS "r_id", "r"."practice_id" AS "r_practice_id", "r"."revision" AS "r_revision", "r"."editor_id" AS "r_editor_id", "r"."title" AS "r_title", "r"."summary" AS "r_summary", "r"."problem" AS "r_problem", "r"."approach" AS "r_approach", "r"."outcomes" AS "r_outcomes", "r"."resources" AS "r_resources", "r"."tag_slugs" AS "r_tag_slugs", "r"."language" AS "r_language", "r"."visibility" AS "r_visibility", "r"."audience_organisation_ids" AS "r_audience_organisation_ids", "r"."status" AS "r_status", "r"."created_at" AS "r_created_at" FROM "practice_revision" "r" INNER JOIN "practice" "p" ON "p"."id" = "r"."practice_id" WHERE "r"."practice_id" = $1 AND (("p"."hidden_at" IS NULL AND ("p"."organisation_id" = $2 OR ("p"."status" <> $3 AND ("p"."visibility" IN ($4, $5) OR ("p"."visibility" = $6 AND EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = "p"."id" AND vis_a.organisation_id = $2)))))) AND (("p"."organisation_id" = $2 OR ("r"."status" <> $3 AND ("r"."visibility" IN ($4, $5) OR ("r"."visibility" = $6 AND CAST($2 AS uuid) = ANY("r"."audience_organisation_ids"))))))) ORDER BY "r"."revision" DESC LIMIT 21;
