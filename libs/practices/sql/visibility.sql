-- The practice read rule (libs/practices/src/visibility/visibility.predicate.ts), rendered for each kind of viewer,
-- and one search query built on it. Checked by test/contract/sql-snapshots.int-spec.ts.

-- anonymous viewer
(p.hidden_at IS NULL AND p.status = :visPublished AND p.visibility = :visClear);
-- parameters: {"visPublished":"PUBLISHED","visClear":"TLP_CLEAR"}

-- signed-in member (organisation :visOrg)
(p.hidden_at IS NULL AND (p.organisation_id = :visOrg OR (p.status <> :visDraft AND (p.visibility IN (:visClear, :visGreen) OR (p.visibility = :visAmber AND EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = p.id AND vis_a.organisation_id = :visOrg))))));
-- parameters: ["visOrg","visDraft","visClear","visGreen","visAmber"]

-- practices(filter: {query, tags}, orderBy: RELEVANCE) for that member
SELECT "p"."id" AS "p_id", "p"."organisation_id" AS "p_organisation_id", "p"."author_id" AS "p_author_id", "p"."title" AS "p_title", "p"."summary" AS "p_summary", "p"."problem" AS "p_problem", "p"."approach" AS "p_approach", "p"."outcomes" AS "p_outcomes", "p"."resources" AS "p_resources", "p"."language" AS "p_language", "p"."status" AS "p_status", "p"."visibility" AS "p_visibility", "p"."revision" AS "p_revision", "p"."published_at" AS "p_published_at", "p"."hidden_at" AS "p_hidden_at", "p"."created_at" AS "p_created_at", "p"."updated_at" AS "p_updated_at", ts_rank_cd("p"."search_vector", websearch_to_tsquery('english', $1)) AS "sort_key", ts_headline('english', translate(concat_ws(' ', "p"."summary", "p"."problem", "p"."approach", "p"."outcomes"), $2, $3), websearch_to_tsquery('english', $1), $4) AS "snippet" FROM "practice" "p" WHERE ("p"."hidden_at" IS NULL AND ("p"."organisation_id" = $5 OR ("p"."status" <> $6 AND ("p"."visibility" IN ($7, $8) OR ("p"."visibility" = $9 AND EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = "p"."id" AND vis_a.organisation_id = $5)))))) AND "p"."status" = $10 AND ("p"."search_vector" @@ websearch_to_tsquery('english', $1) AND EXISTS (SELECT 1 FROM practice_tag f_pt JOIN tag f_t ON f_t.id = f_pt.tag_id WHERE f_pt.practice_id = "p"."id" AND f_t.slug IN ($11))) ORDER BY ts_rank_cd("p"."search_vector", websearch_to_tsquery('english', $1)) DESC, "p"."id" DESC LIMIT 21;
