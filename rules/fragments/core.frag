FORMAT: claimcheck-fragments/1
# Named pieces of regex (RE2 syntax) that rules use as {NAME}. Every lexicon
# class of tables/*.tsv is a fragment too ({VERB_UP}, {QUALIFIER}, {MONTH}...),
# and {ENTITY} is every alias of the gazetteer.
# Named groups the engine reads: num, unit, cur, scale, qual, verb, dir, subj,
# date, neg (see rules/README.md). A rule may use each group once.

# Numbers: 2,442.03  2442.03  11  0.3  and number words.
DIGITS = (?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?
NUM = (?P<num>\b{DIGITS}|\b{NUMBER_WORD}\b)
NUMX = (?:\b{DIGITS}|\b{NUMBER_WORD}\b)
ORD = (?P<num>\d+)(?:st|nd|rd|th)

# Units after a number. (A repaired number keeps its length, so "5.667,20 points"
# reads "5667.20  points": a level unit may follow two spaces.)
PCT = \s?(?P<unit>%|percent\b|per\s+cent\b|pct\b)
PCTX = \s?(?:%|percent\b|per\s+cent\b|pct\b)
BP = \s?(?P<unit>basis\s+points?|bps?)\b
PP = \s?(?P<unit>percentage\s+points?|ppts?|pp)\b
PTS = \s?(?P<unit>points?|pts)\b
LEVEL_UNIT = (?:\s{0,2}(?P<unit>%|points?\b|pts\b|(?:US\s+|U\.S\.\s+)?dollars?\b))?

# Money: $2.7 trillion, US$75 billion, EUR 3bn.
CUR = (?P<cur>{CURRENCY})\s?
CURX = (?:{CURRENCY})\s?
SCALEW = (?:\s?(?P<scale>{SCALE})\b)?
# Money written after the number: "2 wan yi US dollars", "3.48 trillion yuan".
MONEY_AFTER = {NUM}(?:\s?(?P<scale>{SCALE})\b)?\s+(?P<cur>{CURRENCY_AFTER})\b

# Hedges and movement.
QUAL = (?:\b(?P<qual>{QUALIFIER})\s+)?
QUALX = (?:\b{QUALIFIER}\s+)?
VERB = \b(?P<verb>{VERB_UP}|{VERB_DOWN})\b
VERBX = \b(?:{VERB_UP}|{VERB_DOWN})\b
NOUN = \b(?P<verb>{NOUN_UP}|{NOUN_DOWN}|{NOUN_FLAT})\b
BY = (?:\s+against\s+the\s+(?:market|trend|tide))?(?:\s+by)?\s+(?:(?:just|only|slightly|roughly|a\s+further|another|an\s+additional|a\s+modest|a\s+hefty|a\s+solid)\s+)?

# Dates a rule may bind as an event date.
DATE = (?P<date>{DATEX})
DATEX = (?:{MONTH}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|the\s+\d{1,2}(?:st|nd|rd|th)|(?:last\s+)?{WEEKDAY}|\d{1,2}\s+{MONTH}(?:\s+\d{4})?)

# A subject named inside a rule: the engine accepts the match only when a
# gazetteer name starts where the group starts ({ENTITY} would spell out every
# alias and make the rule slow).
SUBJ = (?P<subj>(?:the\s+)?[$.]?[A-Za-z0-9][^\s,;:]*(?:\s+[^\s,;:]+){0,3}?)
RECORD = (?:record|all[-\s]time|historic(?:al)?|new\s+record|fresh\s+record)
RECNOUN = (?:high|low|peak|close|closing\s+high|closing\s+low|closing\s+level|closing\s+price|level|trough|maximum|minimum)
