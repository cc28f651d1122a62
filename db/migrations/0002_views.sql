-- claimcheck schema version 2: indexes and the views for the common questions.
CREATE INDEX claims_article ON claims(article_id, start, end);
CREATE INDEX claims_fact ON claims(subject, metric, basis, as_of);
CREATE INDEX articles_source ON articles(source_id);

-- Every claim with where it comes from.
CREATE VIEW claims_with_article AS
SELECT c.*, a.path AS path, s.name AS source, a.published AS published
FROM claims c
JOIN articles a ON a.id = c.article_id
LEFT JOIN sources s ON s.id = a.source_id;

-- What the corpus says about each fact: one row per subject, metric, basis, as_of.
CREATE VIEW facts AS
SELECT subject, metric, basis, as_of,
       COUNT(*) AS claims,
       COUNT(DISTINCT article_id) AS articles,
       MIN(value) AS min_value,
       MAX(value) AS max_value
FROM claims
GROUP BY subject, metric, basis, as_of;
