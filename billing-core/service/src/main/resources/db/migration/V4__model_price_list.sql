-- The starting public price list: the main OpenAI, Anthropic, Google and Mistral models.
-- USD per million tokens: input, cached input (NULL = the vendor has no cached rate; cached
-- tokens are then priced at the input rate), output. Each row cites the page its figures come from.
--
-- How to read and maintain this file:
-- * Figures are the vendors' public list prices for standard (non-batch, non-priority) API use,
--   transcribed by hand in 2025 from the pages cited. They were NOT re-checked against the live
--   pages when this migration was written: before trusting a figure for money, check the page and,
--   if it changed, add a later migration that closes the old row (effective_to) and inserts the new
--   one — never edit a row that has priced events (events.model_price_id points at it).
-- * effective_from is the date the listed price is known to have applied from (launch, or the
--   price change noted); where that date is not known precisely it is 2025-01-01 or the launch
--   month and says so.
-- * Context-length tiers (Gemini 2.5 Pro and Claude Sonnet above 200k tokens) are not modelled:
--   the rows carry the ≤ 200k-token tier, which is what almost every call pays.
-- * Anthropic's cache writes (1.25× input) have no field in Polar's _llm metadata; cache reads
--   are the cached-input rate (0.1× input).

INSERT INTO model_prices (id, organization_id, vendor, model, input_usd_per_million_tokens,
                          cached_input_usd_per_million_tokens, output_usd_per_million_tokens,
                          effective_from, effective_to, source_url)
VALUES
-- OpenAI — https://openai.com/api/pricing/ and https://platform.openai.com/docs/pricing
(gen_random_uuid(), NULL, 'openai', 'gpt-5',        1.25,  0.125,  10.00, '2025-08-07', NULL, 'https://platform.openai.com/docs/pricing'),
(gen_random_uuid(), NULL, 'openai', 'gpt-5-mini',   0.25,  0.025,   2.00, '2025-08-07', NULL, 'https://platform.openai.com/docs/pricing'),
(gen_random_uuid(), NULL, 'openai', 'gpt-5-nano',   0.05,  0.005,   0.40, '2025-08-07', NULL, 'https://platform.openai.com/docs/pricing'),
(gen_random_uuid(), NULL, 'openai', 'gpt-4.1',      2.00,  0.50,    8.00, '2025-04-14', NULL, 'https://openai.com/index/gpt-4-1/'),
(gen_random_uuid(), NULL, 'openai', 'gpt-4.1-mini', 0.40,  0.10,    1.60, '2025-04-14', NULL, 'https://openai.com/index/gpt-4-1/'),
(gen_random_uuid(), NULL, 'openai', 'gpt-4.1-nano', 0.10,  0.025,   0.40, '2025-04-14', NULL, 'https://openai.com/index/gpt-4-1/'),
-- gpt-4o: the alias has pointed at gpt-4o-2024-08-06 (this price) since 2024-10-02.
(gen_random_uuid(), NULL, 'openai', 'gpt-4o',       2.50,  1.25,   10.00, '2024-10-02', NULL, 'https://openai.com/api/pricing/'),
(gen_random_uuid(), NULL, 'openai', 'gpt-4o-mini',  0.15,  0.075,   0.60, '2024-07-18', NULL, 'https://openai.com/api/pricing/'),
-- o3 launched at $10 / $40 and was cut by 80 % on 2025-06-10: both rows, so older events keep their price.
(gen_random_uuid(), NULL, 'openai', 'o3',          10.00,  2.50,   40.00, '2025-04-16', '2025-06-10', 'https://openai.com/index/introducing-o3-and-o4-mini/'),
(gen_random_uuid(), NULL, 'openai', 'o3',           2.00,  0.50,    8.00, '2025-06-10', NULL, 'https://platform.openai.com/docs/pricing'),
(gen_random_uuid(), NULL, 'openai', 'o4-mini',      1.10,  0.275,   4.40, '2025-04-16', NULL, 'https://platform.openai.com/docs/pricing'),
-- Anthropic — https://www.anthropic.com/pricing#api and https://docs.anthropic.com/en/docs/about-claude/pricing
(gen_random_uuid(), NULL, 'anthropic', 'claude-opus-4-5',   5.00, 0.50, 25.00, '2025-11-24', NULL, 'https://www.anthropic.com/pricing#api'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-opus-4-1',  15.00, 1.50, 75.00, '2025-08-05', NULL, 'https://www.anthropic.com/pricing#api'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-opus-4',    15.00, 1.50, 75.00, '2025-05-22', NULL, 'https://www.anthropic.com/pricing#api'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-sonnet-4-5', 3.00, 0.30, 15.00, '2025-09-29', NULL, 'https://www.anthropic.com/pricing#api'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-sonnet-4',   3.00, 0.30, 15.00, '2025-05-22', NULL, 'https://www.anthropic.com/pricing#api'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-3-7-sonnet', 3.00, 0.30, 15.00, '2025-02-24', NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-haiku-4-5',  1.00, 0.10,  5.00, '2025-10-15', NULL, 'https://www.anthropic.com/pricing#api'),
(gen_random_uuid(), NULL, 'anthropic', 'claude-3-5-haiku',  0.80, 0.08,  4.00, '2024-11-04', NULL, 'https://docs.anthropic.com/en/docs/about-claude/pricing'),
-- Google — https://ai.google.dev/gemini-api/docs/pricing (paid tier, text input).
-- Unsure: Google lowered the cached-input (context caching) rates during 2025; the cached figures
-- below are the ones listed at launch and may be higher than today's. Check before relying on them.
(gen_random_uuid(), NULL, 'google', 'gemini-2.5-pro',        1.25, 0.31,  10.00, '2025-06-17', NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
(gen_random_uuid(), NULL, 'google', 'gemini-2.5-flash',      0.30, 0.075,  2.50, '2025-06-17', NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
(gen_random_uuid(), NULL, 'google', 'gemini-2.5-flash-lite', 0.10, 0.025,  0.40, '2025-07-22', NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
(gen_random_uuid(), NULL, 'google', 'gemini-2.0-flash',      0.10, 0.025,  0.40, '2025-02-05', NULL, 'https://ai.google.dev/gemini-api/docs/pricing'),
-- Mistral — https://mistral.ai/pricing#api-pricing. Mistral lists no cached-input rate.
-- Unsure of the exact start dates: the "-latest" aliases move between releases; 2025-01-01 or the
-- release month is used.
(gen_random_uuid(), NULL, 'mistral', 'mistral-large-latest',  2.00, NULL, 6.00, '2025-01-01', NULL, 'https://mistral.ai/pricing#api-pricing'),
(gen_random_uuid(), NULL, 'mistral', 'mistral-medium-latest', 0.40, NULL, 2.00, '2025-05-07', NULL, 'https://mistral.ai/news/mistral-medium-3'),
(gen_random_uuid(), NULL, 'mistral', 'mistral-small-latest',  0.10, NULL, 0.30, '2025-03-17', NULL, 'https://mistral.ai/pricing#api-pricing'),
(gen_random_uuid(), NULL, 'mistral', 'codestral-latest',      0.30, NULL, 0.90, '2025-01-13', NULL, 'https://mistral.ai/pricing#api-pricing'),
(gen_random_uuid(), NULL, 'mistral', 'ministral-8b-latest',   0.10, NULL, 0.10, '2025-01-01', NULL, 'https://mistral.ai/pricing#api-pricing');
